// SPDX-License-Identifier: Apache-2.0
// RTSP (and any URL or file FFmpeg reads) and USB/V4L2 devices through
// OpenCV's VideoCapture: one frame per capture, encoded to JPEG. The stream
// stays open between captures only when the interval is short
// (`keep_open_below_s`), because reopening RTSP costs seconds.
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "capture/jpeg_check.h"
#include "capture/sources.h"
#include "common/log.h"

namespace vigil::capture {
namespace {

using Clock = std::chrono::steady_clock;

// Returns `url` with `user:pass@` removed, for messages.
std::string StripUserinfo(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t host = scheme + 3;
  size_t slash = url.find('/', host);
  size_t at = url.rfind('@', slash == std::string::npos ? url.size() : slash);
  if (at == std::string::npos || at < host) return url;
  return url.substr(0, host) + url.substr(at + 1);
}

std::string PercentEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Puts config credentials into an RTSP URL that has none (FFmpeg only reads
// them from the URL).
std::string WithCredentials(const CameraConfig& c) {
  size_t scheme = c.url.find("://");
  if (c.username.empty() || scheme == std::string::npos ||
      StripUserinfo(c.url) != c.url) {
    return c.url;
  }
  std::string creds = PercentEncode(c.username);
  if (!c.password.empty()) {
    creds += ':';
    creds += PercentEncode(c.password);
  }
  log::RegisterSecret(PercentEncode(c.password));
  return c.url.substr(0, scheme + 3) + creds + "@" + c.url.substr(scheme + 3);
}

class VideoCaptureSource : public Source {
 public:
  explicit VideoCaptureSource(const CameraConfig& c)
      : config_(c),
        is_device_(c.kind == SourceKind::kV4l2),
        keep_open_(c.interval_s < c.keep_open_below_s) {
    target_ = is_device_ ? c.device : WithCredentials(c);
    describe_ = std::string(SourceKindName(c.kind)) + " " +
                log::Redact(is_device_ ? c.device : StripUserinfo(c.url));
  }

  Result<CapturedImage> Capture() override {
    try {
      auto r = CaptureFrame();
      if (!keep_open_ || !r.ok()) cap_.release();
      return r;
    } catch (const cv::Exception& e) {
      cap_.release();
      return Unavailable(describe_ + ": OpenCV error: " +
                         log::Redact(e.what()));
    }
  }

  std::string Describe() const override { return describe_; }

 private:
  Result<CapturedImage> CaptureFrame() {
    bool fresh = !cap_.isOpened();
    if (fresh) VIGIL_RETURN_IF_ERROR(Open());
    cv::Mat frame;
    bool grabbed = !fresh && DrainBuffered();
    bool ok = grabbed ? cap_.retrieve(frame) : cap_.read(frame);
    if (!ok || frame.empty()) {
      if (fresh) return Unavailable(describe_ + ": no frame could be read");
      // A kept-open stream may have dropped; reopen once.
      cap_.release();
      VIGIL_RETURN_IF_ERROR(Open());
      if (!cap_.read(frame) || frame.empty()) {
        return Unavailable(describe_ + ": no frame after reopening");
      }
    }
    return EncodeFrame(frame, config_.jpeg_quality,
                       std::chrono::system_clock::now());
  }

  Status Open() {
    int timeout_ms = static_cast<int>(config_.timeout_s * 1000);
    bool opened = false;
    if (is_device_) {
      opened = OpenDevice();
    } else {
      std::vector<int> params = {cv::CAP_PROP_OPEN_TIMEOUT_MSEC, timeout_ms,
                                 cv::CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms};
      opened = cap_.open(target_, cv::CAP_FFMPEG, params);
    }
    if (!opened || !cap_.isOpened()) {
      return Unavailable(describe_ + ": cannot open (offline, wrong URL or "
                                     "device, or timed out after " +
                         std::to_string(timeout_ms) + " ms)");
    }
    if (is_device_) {
      // Auto-exposure needs a few frames after the sensor starts.
      for (int i = 0; i < config_.warmup_frames; ++i) cap_.grab();
    }
    return OkStatus();
  }

  bool OpenDevice() {
    const std::string& d = config_.device;
    int index = -1;
    auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), index);
    bool numeric = ec == std::errc() && end == d.data() + d.size();
    bool ok = numeric ? cap_.open(index, cv::CAP_V4L2)
                      : cap_.open(d, cv::CAP_V4L2);
    if (!ok) return false;
    // Ask for MJPEG so USB 2 bandwidth allows full resolution.
    cap_.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
    if (config_.width > 0) cap_.set(cv::CAP_PROP_FRAME_WIDTH, config_.width);
    if (config_.height > 0) cap_.set(cv::CAP_PROP_FRAME_HEIGHT, config_.height);
    cap_.set(cv::CAP_PROP_BUFFERSIZE, 1);
    return true;
  }

  // A stream left open queues frames; grabbing until a grab blocks (about
  // one frame period) brings us to the live edge, so the image is current.
  // Returns true if a frame was grabbed (then `retrieve` decodes it).
  bool DrainBuffered() {
    double fps = cap_.get(cv::CAP_PROP_FPS);
    if (!(fps > 1 && fps < 240)) fps = 25;
    auto live_edge = std::chrono::duration<double>(0.5 / fps);
    bool grabbed = false;
    for (int i = 0; i < 250; ++i) {
      auto t0 = Clock::now();
      if (!cap_.grab()) return grabbed;
      grabbed = true;
      if (Clock::now() - t0 > live_edge) break;
    }
    return grabbed;
  }

  CameraConfig config_;
  bool is_device_;
  bool keep_open_;
  std::string target_;  // may carry credentials: never log it
  std::string describe_;
  cv::VideoCapture cap_;
};

void PreferRtspOverTcp() {
  static std::once_flag once;
  // UDP RTSP drops packets on Wi-Fi and yields smeared frames; TCP is what
  // Frigate and most NVRs default to. Respect an explicit user setting.
  std::call_once(once, [] {
    setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp", 0);
  });
}

}  // namespace

Result<std::unique_ptr<Source>> MakeVideoCaptureSource(const CameraConfig& c) {
  if (c.kind != SourceKind::kV4l2) PreferRtspOverTcp();
  log::RegisterSecret(c.password);
  return std::unique_ptr<Source>(new VideoCaptureSource(c));
}

}  // namespace vigil::capture
