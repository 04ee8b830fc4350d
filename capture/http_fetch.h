// SPDX-License-Identifier: Apache-2.0
// libcurl plumbing shared by the HTTP snapshot and MJPEG sources: auth,
// timeouts, TLS, body size limit, cancellation and error mapping. Internal.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "capture/camera_config.h"
#include "common/status.h"

namespace vigil::capture {

struct HttpResponse {
  long status = 0;           // HTTP status of the final response
  std::string content_type;  // lower-cased, parameters kept
  std::vector<uint8_t> body;
  bool stopped_early = false;  // `BodyDone` asked to stop the transfer
};

// Called after each chunk of a 2xx body; returning true ends the transfer
// successfully (how the MJPEG source takes one frame from an endless stream).
using BodyDone = std::function<bool(const HttpResponse&)>;

// Thread-compatible, except `Cancel`/`ResetCancel` which are thread-safe.
class HttpFetcher {
 public:
  // Splits `user:pass@` out of `config.url` (explicit username/password win)
  // and registers the password with log::RegisterSecret. Returns
  // kInvalidArgument if libcurl cannot parse the URL.
  static Result<std::unique_ptr<HttpFetcher>> Create(
      const CameraConfig& config);

  // Performs one GET. Returns kUnavailable (connect failure, timeout, TLS,
  // cancelled), kOutOfRange (body over `max_bytes`), kUnauthenticated
  // (401/403) or kUnavailable for other non-2xx statuses. Messages name the
  // URL without credentials.
  Result<HttpResponse> Get(const BodyDone& done = nullptr);

  void Cancel() { cancel_.store(true); }
  void ResetCancel() { cancel_.store(false); }
  // The URL without credentials, for logs and status.
  const std::string& safe_url() const { return safe_url_; }

 private:
  HttpFetcher() = default;

  CameraConfig config_;
  std::string url_;       // without userinfo
  std::string safe_url_;  // same, used in messages
  std::string username_;
  std::string password_;
  std::atomic<bool> cancel_{false};
};

}  // namespace vigil::capture
