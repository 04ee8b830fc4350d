// SPDX-License-Identifier: Apache-2.0
// Where snapshots live on disk: safe camera folder names, dated folders,
// file names from capture times and back. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/file_io.h"  // kTempPrefix
#include "common/status.h"

namespace vigil::store {

inline constexpr std::string_view kSnapshotsDir = "snapshots";
inline constexpr std::string_view kThumbsDir = "thumbs";
inline constexpr std::string_view kKeepSuffix = ".keep";
inline constexpr std::string_view kCameraNameFile = ".camera-name";

// Returns a folder name for `camera`: unchanged when it is 1..64 characters
// of [A-Za-z0-9_-] (not starting with '-'); otherwise every other byte
// becomes '_' and an 8-hex-digit hash of the original name is appended, so
// "../x" and "..-x" never collide and never escape the snapshots folder.
// Deterministic across runs and machines. Returns kInvalidArgument for "".
Result<std::string> SafeCameraDir(std::string_view camera);

// Broken-down capture time of a file name.
struct FileTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Converts UTC epoch ms to the folder clock (local time or UTC).
FileTime ToFileTime(int64_t utc_ms, bool utc);
// Converts a folder-clock time back to UTC epoch ms (start of the second);
// ambiguous local times (DST fall-back) resolve to the first occurrence.
int64_t FromFileTime(const FileTime& t, bool utc);

// "2026-11-23"
std::string DayFolderName(const FileTime& t);
// "211507.jpg", or "211507-2.jpg" for `suffix` 2.
std::string SnapshotFileName(const FileTime& t, int suffix);

// A parsed "snapshots/<camera_dir>/<YYYY-MM-DD>/<HHMMSS>[-N].jpg".
struct SnapshotPath {
  std::string camera_dir;
  FileTime time;
  int suffix = 0;
};
// Parses the day folder and file name; returns nullopt for anything that
// `DayFolderName` + `SnapshotFileName` would not produce.
std::optional<FileTime> ParseDayFolder(std::string_view day);
std::optional<SnapshotPath> ParseFileName(std::string_view camera_dir,
                                          std::string_view day,
                                          std::string_view file);

// "snapshots/<camera_dir>/<day>/<file>"
std::string SnapshotRelPath(std::string_view camera_dir, std::string_view day,
                            std::string_view file);
// "thumbs/<camera_dir>/<day>/<file>" for a snapshot rel path (same suffix).
std::string ThumbRelPath(std::string_view snapshot_rel_path);
// The audio clip beside a snapshot: "snapshots/<camera_dir>/<day>/<HHMMSS>
// [-N].wav" for "...<HHMMSS>[-N].jpg".
std::string AudioRelPath(std::string_view snapshot_rel_path);
// True when `rel` is a relative path without "..", "." or empty components
// that starts with "snapshots/" (rows are never trusted blindly).
bool IsSafeRelPath(std::string_view rel);

}  // namespace vigil::store
