// SPDX-License-Identifier: Apache-2.0
// `vigil model pull`: fetches the GGUF + mmproj a model needs, resuming
// partial downloads, checking each file's SHA-256 and installing it
// atomically (`<file>.part` -> fsync -> rename), so the model dir only ever
// holds complete, verified files.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/model_pull/catalog.h"
#include "app/model_pull/download.h"
#include "common/status.h"

namespace vigil::model_pull {

struct PullOptions {
  CatalogRequest catalog;
  std::filesystem::path dir;  // created if missing
  // sha256sum-style manifest; without it the hub's X-Linked-Etag is used.
  std::optional<std::filesystem::path> manifest;
  bool progress_bar = false;        // redraw a bar on `log` (a TTY)
  std::ostream* log = nullptr;      // one line per file; may be null
  TransferOptions transfer;
};

struct PulledFile {
  std::filesystem::path path;
  std::string sha256;
  bool already_present = false;  // verified, nothing downloaded
};

// Downloads and installs every file of the request in order. Stops at the
// first error: kUnavailable (offline: run again to resume), kCorrupt
// (checksum mismatch: the partial file is deleted), kNotFound (no such
// file / no checksum available), kIo (disk).
Result<std::vector<PulledFile>> PullModel(const PullOptions& options);

}  // namespace vigil::model_pull
