// SPDX-License-Identifier: Apache-2.0
// MJPEG over HTTP (multipart/x-mixed-replace, RFC 2046 §5.1): connects, takes
// the first complete frame and hangs up. Parsed here rather than through
// OpenCV's FFmpeg backend so digest auth, timeouts and limits match the
// snapshot source.
#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>

#include "capture/http_fetch.h"
#include "capture/jpeg_check.h"
#include "capture/mjpeg_parser.h"
#include "capture/sources.h"

namespace vigil::capture {
namespace {

class MjpegHttpSource : public Source {
 public:
  explicit MjpegHttpSource(std::unique_ptr<HttpFetcher> fetcher)
      : fetcher_(std::move(fetcher)) {}

  Result<CapturedImage> Capture() override {
    std::optional<PartRange> part;
    auto done = [&](const HttpResponse& r) {
      std::string boundary = BoundaryOf(r.content_type);
      if (boundary.empty()) return false;  // single image: read it all
      part = FindFirstPart(r.body, boundary);
      return part.has_value();
    };
    VIGIL_ASSIGN_OR_RETURN(HttpResponse r, fetcher_->Get(done));
    auto when = std::chrono::system_clock::now();
    std::string origin = "MJPEG " + fetcher_->safe_url();
    if (part) {
      std::vector<uint8_t> frame(r.body.begin() + part->begin,
                                 r.body.begin() + part->end);
      return CheckJpeg(std::move(frame), when, origin);
    }
    if (r.content_type.rfind("multipart/", 0) == 0) {
      return Corrupt(origin + ": stream ended before a complete frame (" +
                     std::to_string(r.body.size()) + " bytes, Content-Type '" +
                     r.content_type + "')");
    }
    if (r.content_type.rfind("image/", 0) == 0) {
      return CheckJpeg(std::move(r.body), when, origin);
    }
    return Corrupt(origin + ": expected multipart/x-mixed-replace, got '" +
                   r.content_type + "' starting with '" +
                   PreviewBytes(r.body) + "'");
  }

  std::string Describe() const override {
    return "mjpeg " + fetcher_->safe_url();
  }
  void Cancel() override { fetcher_->Cancel(); }
  void ResetCancel() override { fetcher_->ResetCancel(); }

 private:
  std::unique_ptr<HttpFetcher> fetcher_;
};

}  // namespace

Result<std::unique_ptr<Source>> MakeMjpegHttpSource(const CameraConfig& c) {
  VIGIL_ASSIGN_OR_RETURN(auto fetcher, HttpFetcher::Create(c));
  return std::unique_ptr<Source>(new MjpegHttpSource(std::move(fetcher)));
}

}  // namespace vigil::capture
