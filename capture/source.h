// SPDX-License-Identifier: Apache-2.0
// A camera source produces one encoded still per call. One implementation per
// file (http_snapshot.cc, rtsp.cc, v4l2.cc, watch_folder.cc, demo.cc, ...).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::capture {

struct CapturedImage {
  std::vector<uint8_t> jpeg;  // a complete, decodable JPEG
  int width = 0;
  int height = 0;
  std::chrono::system_clock::time_point captured_at;
};

// Thread-compatible: the scheduler calls one source from one thread at a time.
class Source {
 public:
  virtual ~Source() = default;
  // Returns one image, or kUnavailable (offline, timeout), kUnauthenticated,
  // kCorrupt (not a decodable JPEG). A push source (watch folder) with nothing
  // new returns kNotFound, which the scheduler does not count as a failure.
  virtual Result<CapturedImage> Capture() = 0;
  // Returns a short description for logs, with any credentials removed.
  virtual std::string Describe() const = 0;
};

}  // namespace vigil::capture
