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

  // Asks a `Capture()` running on another thread to give up soon (it then
  // returns kUnavailable). Used by `Scheduler::Stop()`. Thread-safe.
  virtual void Cancel() {}
  // Clears a previous `Cancel()` so the source can be used again.
  virtual void ResetCancel() {}
  // True for push sources (watch folder): the scheduler drains them, calling
  // `Capture()` until kNotFound, and calls `Commit()` after each stored image.
  virtual bool IsPush() const { return false; }
  // Tells a push source the last captured image is stored, so it may move or
  // delete the original. Without it the image is offered again next time.
  virtual Status Commit() { return OkStatus(); }
};

}  // namespace vigil::capture
