// SPDX-License-Identifier: Apache-2.0
// libcurl transfers for `vigil model pull`: a metadata probe and a resumable
// download into a `.part` file. No hashing or installing here (model_pull.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "common/status.h"

namespace vigil::model_pull {

struct TransferOptions {
  long connect_timeout_s = 20;
  // Abort when fewer than 1 KiB/s arrive for this long (a dead link).
  long stall_timeout_s = 60;
  // Called with (bytes on disk, total bytes or -1) as data arrives.
  std::function<void(int64_t, int64_t)> progress;
};

// What the hub says about a file before downloading it.
struct RemoteInfo {
  std::string sha256;  // lowercase hex, empty when the hub sent none
  int64_t size = -1;   // bytes, -1 when unknown
};

// Sends a HEAD to `url` without following redirects: Hugging Face answers
// `resolve/` with a redirect carrying X-Linked-Etag (the LFS sha256) and
// X-Linked-Size; a plain mirror may answer 200 with an ETag digest and
// Content-Length. Returns kUnavailable when the host is unreachable,
// kNotFound for 404, kIo for other HTTP errors.
Result<RemoteInfo> ProbeRemote(const std::string& url,
                               const TransferOptions& options);

// Downloads `url` (following redirects) into `part`, continuing from its
// current size with a Range request; restarts from zero when the server
// ignores the range. Bytes received before an error stay in `part` so the
// next call resumes. Returns kUnavailable (offline, timeout, connection
// cut: run again), kNotFound (404) or kIo (disk, other HTTP errors).
Status DownloadResumable(const std::string& url,
                        const std::filesystem::path& part,
                        const TransferOptions& options);

}  // namespace vigil::model_pull
