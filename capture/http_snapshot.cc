// SPDX-License-Identifier: Apache-2.0
// HTTP(S) snapshot URL: one GET returns one JPEG (Reolink cgi-bin/api.cgi,
// Hikvision ISAPI/Streaming/channels/101/picture, Dahua cgi-bin/snapshot.cgi,
// Axis axis-cgi/jpg/image.cgi).
#include <chrono>

#include "capture/http_fetch.h"
#include "capture/jpeg_check.h"
#include "capture/sources.h"

namespace vigil::capture {
namespace {

class HttpSnapshotSource : public Source {
 public:
  explicit HttpSnapshotSource(std::unique_ptr<HttpFetcher> fetcher)
      : fetcher_(std::move(fetcher)) {}

  Result<CapturedImage> Capture() override {
    VIGIL_ASSIGN_OR_RETURN(HttpResponse r, fetcher_->Get());
    auto when = std::chrono::system_clock::now();
    // Cameras answer errors with 200 + an HTML or XML page surprisingly
    // often; name the content type instead of just "bad magic". The bytes
    // decide, not the header: cheap cameras mislabel JPEGs as text/plain.
    bool jpeg_magic = r.body.size() >= 3 && r.body[0] == 0xFF &&
                      r.body[1] == 0xD8 && r.body[2] == 0xFF;
    if (!jpeg_magic) {
      return Corrupt("GET " + fetcher_->safe_url() +
                     ": expected a JPEG, got Content-Type '" +
                     r.content_type + "' starting with '" +
                     PreviewBytes(r.body) + "' (" +
                     std::to_string(r.body.size()) + " bytes)");
    }
    return CheckJpeg(std::move(r.body), when, "GET " + fetcher_->safe_url());
  }

  std::string Describe() const override {
    return "http " + fetcher_->safe_url();
  }
  void Cancel() override { fetcher_->Cancel(); }
  void ResetCancel() override { fetcher_->ResetCancel(); }

 private:
  std::unique_ptr<HttpFetcher> fetcher_;
};

}  // namespace

Result<std::unique_ptr<Source>> MakeHttpSnapshotSource(const CameraConfig& c) {
  VIGIL_ASSIGN_OR_RETURN(auto fetcher, HttpFetcher::Create(c));
  return std::unique_ptr<Source>(new HttpSnapshotSource(std::move(fetcher)));
}

}  // namespace vigil::capture
