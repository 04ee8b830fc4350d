// SPDX-License-Identifier: Apache-2.0
// Durable file operations (STYLE.md §5.4 "Never leave half a write"): temp
// file in the target folder, fsync, rename, fsync folder. The store's folders
// and the CLI's dump files both go through them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigil {

// Temp files start with this; the store's start-up scan removes stale ones.
inline constexpr std::string_view kTempPrefix = ".vigil-tmp-";

// Creates `dir` and missing parents, fsyncing each parent whose entries
// changed so a power cut cannot lose a folder holding a fsynced file.
Status CreateDirsDurable(const std::filesystem::path& dir);

// Writes `bytes` to a new hidden temp file (`kTempPrefix`...) inside `dir`,
// sets its mtime to `mtime_ms` (UTC epoch ms) when given, fsyncs and closes
// it. Returns its path; on failure nothing is left behind.
Result<std::filesystem::path> WriteTempFile(
    const std::filesystem::path& dir, std::span<const uint8_t> bytes,
    std::optional<int64_t> mtime_ms = std::nullopt);

// Renames `from` to `to` unless `to` exists. Returns false (and leaves
// `from`) when `to` exists. Callers serialize calls for the same folder.
Result<bool> RenameNoReplace(const std::filesystem::path& from,
                             const std::filesystem::path& to);

// Fsyncs a folder so renames and unlinks inside it survive a power cut.
Status FsyncDir(const std::filesystem::path& dir);

// Atomically replaces `path` with `bytes` (temp + fsync + rename + fsync).
Status WriteFileAtomic(const std::filesystem::path& path,
                       std::span<const uint8_t> bytes);

// Reads a whole file of at most `max_bytes`; kNotFound when missing,
// kOutOfRange when larger.
Result<std::vector<uint8_t>> ReadFileBytes(const std::filesystem::path& path,
                                           uint64_t max_bytes);

// Removes a file; a missing file is not an error.
Status RemoveFile(const std::filesystem::path& path);

}  // namespace vigil
