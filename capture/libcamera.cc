// SPDX-License-Identifier: Apache-2.0
// Raspberry Pi cameras through libcamera (built with -DVIGIL_WITH_LIBCAMERA=ON,
// Debian's libcamera-dev). Each capture acquires the camera, configures a
// StillCapture stream as RGB888 (B,G,R in memory, as OpenCV wants), drops
// `warmup_frames` so auto-exposure settles, maps the frame and encodes it.
#include <libcamera/libcamera.h>
#include <sys/mman.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <opencv2/core.hpp>

#include "capture/jpeg_check.h"
#include "capture/sources.h"

namespace vigil::capture {
namespace {

namespace lc = libcamera;

// libcamera allows one CameraManager per process; all sources share it.
lc::CameraManager* Manager(Status* error) {
  static std::mutex mu;
  static std::unique_ptr<lc::CameraManager> manager;
  static int start_rc = 0;
  std::lock_guard<std::mutex> lock(mu);
  if (!manager) {
    manager = std::make_unique<lc::CameraManager>();
    start_rc = manager->start();
  }
  if (start_rc != 0) {
    *error = Unavailable("libcamera: camera manager failed to start (" +
                         std::to_string(start_rc) + ")");
    return nullptr;
  }
  return manager.get();
}

// Unmaps on scope exit.
struct Mapping {
  void* addr = MAP_FAILED;
  size_t size = 0;
  ~Mapping() {
    if (addr != MAP_FAILED) munmap(addr, size);
  }
};

class LibcameraSource : public Source {
 public:
  explicit LibcameraSource(const CameraConfig& c) : config_(c) {}

  Result<CapturedImage> Capture() override {
    std::lock_guard<std::mutex> capture_lock(capture_mu_);
    VIGIL_ASSIGN_OR_RETURN(auto camera, FindCamera());
    if (camera->acquire() != 0) {
      return Unavailable(Describe() + ": camera busy (used by another app?)");
    }
    auto r = CaptureFrom(*camera);
    camera->stop();
    camera->requestCompleted.disconnect(this);
    camera->release();
    return r;
  }

  std::string Describe() const override {
    return "libcamera " + (config_.device.empty() ? "#0" : config_.device);
  }

 private:
  Result<std::shared_ptr<lc::Camera>> FindCamera() {
    Status error;
    lc::CameraManager* cm = Manager(&error);
    if (!cm) return error;
    auto cameras = cm->cameras();
    const std::string& want = config_.device;
    size_t index = 0;
    auto [end, ec] =
        std::from_chars(want.data(), want.data() + want.size(), index);
    bool numeric = ec == std::errc() && end == want.data() + want.size();
    if (!numeric) index = 0;
    if (want.empty() || numeric) {
      if (index < cameras.size()) return cameras[index];
    } else if (auto cam = cm->get(want)) {
      return cam;
    }
    return Unavailable(Describe() + ": no such camera (" +
                       std::to_string(cameras.size()) + " detected)");
  }

  Result<CapturedImage> CaptureFrom(lc::Camera& camera) {
    auto cfg = camera.generateConfiguration({lc::StreamRole::StillCapture});
    if (!cfg || cfg->empty()) return Unsupported(Describe() + ": no config");
    lc::StreamConfiguration& sc = cfg->at(0);
    sc.pixelFormat = lc::formats::RGB888;
    if (config_.width > 0 && config_.height > 0) {
      sc.size = lc::Size(config_.width, config_.height);
    }
    if (cfg->validate() == lc::CameraConfiguration::Invalid ||
        camera.configure(cfg.get()) != 0) {
      return Unsupported(Describe() + ": cannot configure RGB888 " +
                         sc.size.toString());
    }
    if (sc.pixelFormat != lc::formats::RGB888) {
      return Unsupported(Describe() + ": camera offers " +
                         sc.pixelFormat.toString() + ", not RGB888");
    }
    lc::FrameBufferAllocator allocator(camera.shared_from_this());
    if (allocator.allocate(sc.stream()) < 0) {
      return Unavailable(Describe() + ": cannot allocate frame buffers");
    }
    const auto& buffers = allocator.buffers(sc.stream());
    std::unique_ptr<lc::Request> request = camera.createRequest();
    if (buffers.empty() || !request ||
        request->addBuffer(sc.stream(), buffers[0].get()) != 0) {
      return Unavailable(Describe() + ": cannot create a request");
    }
    camera.requestCompleted.connect(this, &LibcameraSource::OnComplete);
    if (camera.start() != 0) return Unavailable(Describe() + ": start failed");
    for (int i = 0; i <= config_.warmup_frames; ++i) {
      VIGIL_RETURN_IF_ERROR(RunRequest(camera, *request));
    }
    return MapAndEncode(*buffers[0], sc);
  }

  Status RunRequest(lc::Camera& camera, lc::Request& request) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      completed_ = false;
    }
    request.reuse(lc::Request::ReuseBuffers);
    if (camera.queueRequest(&request) != 0) {
      return Unavailable(Describe() + ": queueRequest failed");
    }
    std::unique_lock<std::mutex> lock(mu_);
    auto timeout = std::chrono::duration<double>(config_.timeout_s);
    if (!cv_.wait_for(lock, timeout, [this] { return completed_; })) {
      return Unavailable(Describe() + ": no frame within timeout_s");
    }
    if (request.status() != lc::Request::RequestComplete) {
      return Unavailable(Describe() + ": request cancelled");
    }
    return OkStatus();
  }

  void OnComplete(lc::Request*) {
    std::lock_guard<std::mutex> lock(mu_);
    completed_ = true;
    cv_.notify_all();
  }

  Result<CapturedImage> MapAndEncode(const lc::FrameBuffer& buffer,
                                     const lc::StreamConfiguration& sc) {
    const lc::FrameBuffer::Plane& plane = buffer.planes()[0];
    size_t needed = size_t{sc.stride} * sc.size.height;
    if (plane.length < needed || sc.stride < sc.size.width * 3) {
      return InternalError(Describe() + ": frame plane smaller than " +
                           std::to_string(needed) + " bytes");
    }
    Mapping map;
    map.size = plane.offset + plane.length;
    map.addr = mmap(nullptr, map.size, PROT_READ, MAP_SHARED, plane.fd.get(), 0);
    if (map.addr == MAP_FAILED) return IoError(Describe() + ": mmap failed");
    cv::Mat frame(sc.size.height, sc.size.width, CV_8UC3,
                  static_cast<uint8_t*>(map.addr) + plane.offset, sc.stride);
    return EncodeFrame(frame, config_.jpeg_quality,
                       std::chrono::system_clock::now());
  }

  CameraConfig config_;
  std::mutex capture_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool completed_ = false;
};

}  // namespace

Result<std::unique_ptr<Source>> MakeLibcameraSource(const CameraConfig& c) {
  return std::unique_ptr<Source>(new LibcameraSource(c));
}

}  // namespace vigil::capture
