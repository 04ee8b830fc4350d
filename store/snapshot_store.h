// SPDX-License-Identifier: Apache-2.0
// The snapshot store: dated JPEG folders (the truth) plus their SQLite index.
// This is the only store header other concerns include.
//
// On-disk layout under `StoreOptions::data_dir`:
//   snapshots/<camera>/<YYYY-MM-DD>/<HHMMSS>.jpg   the snapshot (atomic write)
//   snapshots/<camera>/<YYYY-MM-DD>/<HHMMSS>-1.jpg second capture, same second
//   snapshots/<camera>/<YYYY-MM-DD>/<HHMMSS>.jpg.keep  sidecar: marked "kept"
//   snapshots/<camera>/<YYYY-MM-DD>/<HHMMSS>.wav   audio clip (optional)
//   snapshots/<camera>/.camera-name                 the configured camera name
//   thumbs/<camera>/<YYYY-MM-DD>/<HHMMSS>.jpg       cached thumbnails
//   index.sqlite (+ -wal, -shm)                     the index, rebuildable
//   index.sqlite.bak-v<N>                           copy taken before migrating
// Folder dates and file times are the appliance's local time (what users of
// Frigate/motionEye browse by); the index stores UTC milliseconds. Each file's
// mtime is set to the capture time so a reindex recovers the exact instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/snapshot.h"

namespace vigil::store {

struct StoreOptions {
  std::filesystem::path data_dir;  // created if missing
  // Folder and file names in UTC instead of local time (tests, servers).
  bool utc_folders = false;
  // Thumbnail box and JPEG quality (see vision/thumbnail.h).
  int32_t thumbnail_width = 320;
  int32_t thumbnail_quality = 80;
  // Largest JPEG `Save` accepts.
  uint64_t max_image_bytes = 100ull << 20;
};

struct ReindexReport {
  int64_t files_seen = 0;     // .jpg files found in snapshots/
  int64_t rows_added = 0;     // files that had no row
  int64_t rows_removed = 0;   // rows whose file is gone
  int64_t rows_updated = 0;   // size/dims/kept/time differed from the file
  int64_t files_skipped = 0;  // unreadable or not a valid JPEG (left alone)
  int64_t temp_files_removed = 0;  // leftovers of interrupted writes
  int64_t duration_ms = 0;
};

// A limit left empty does not apply.
struct RetentionLimits {
  std::optional<std::chrono::seconds> max_age;
  std::optional<int64_t> max_bytes;  // snapshot JPEG bytes (kept included)
};

struct RetentionPolicy {
  RetentionLimits global;                             // all cameras together
  std::map<std::string, RetentionLimits> per_camera;  // by camera name
  // The clock retention compares ages against; `now()` when empty (tests).
  std::optional<std::chrono::system_clock::time_point> now;
};

struct RetentionReport {
  int64_t removed_count = 0;
  int64_t removed_bytes = 0;
  int64_t dirs_removed = 0;  // empty day folders deleted
  // True when a byte limit still cannot be met because only kept snapshots
  // are left (they are never pruned).
  bool over_limit_kept = false;
};

struct CameraStats {
  std::string camera;
  int64_t count = 0;
  int64_t bytes = 0;
  int64_t kept_count = 0;
  int64_t oldest_ms = 0;  // 0 when count == 0
  int64_t newest_ms = 0;
};

struct StoreStats {
  int64_t count = 0;
  int64_t bytes = 0;
  std::vector<CameraStats> cameras;  // sorted by name
};

// Thread-safe: every method may be called from any thread. Only one process
// may open a data dir at a time (an flock on `<data>/.vigil.lock`).
class SnapshotStore {
 public:
  // Opens or creates the store: takes the data-dir lock, opens the index
  // (WAL), backs it up and runs pending migrations, then reconciles the day
  // folders written since the last open (removes temp files of interrupted
  // writes, indexes files without a row, drops rows without a file). A
  // corrupt index is moved aside and rebuilt from the folders. Returns kIo
  // for an unusable data dir, kUnavailable when another process holds it.
  static Result<std::unique_ptr<SnapshotStore>> Open(const StoreOptions& opts);
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Validates `jpeg` fully (vision::ValidateJpeg), writes it atomically to
  // its dated folder (temp file, fsync, rename, fsync dir) and adds its index
  // row. Returns kCorrupt/kOutOfRange for a bad image (nothing written),
  // kInvalidArgument for an empty camera name, kIo when the disk refuses.
  Result<SnapshotRecord> Save(const std::string& camera,
                              std::chrono::system_clock::time_point t,
                              std::span<const uint8_t> jpeg);

  // Returns the row or kNotFound.
  Result<SnapshotRecord> Get(int64_t id);
  // Returns one page, newest first (keyset paging on (captured_at_ms, id)).
  // Returns kInvalidArgument for a malformed cursor.
  Result<SnapshotPage> List(const SnapshotQuery& query);
  // Returns the JPEG bytes of snapshot `id`; kNotFound when unknown.
  Result<std::vector<uint8_t>> ReadImage(int64_t id);
  // Returns the cached thumbnail JPEG, making and caching it on first use.
  Result<std::vector<uint8_t>> ReadThumbnail(int64_t id);
  // Marks a snapshot kept (never pruned) or not; the mark is stored both in
  // the index and as a `.keep` sidecar file next to the JPEG.
  Status SetKept(int64_t id, bool kept);

  // Stores the audio clip recorded around snapshot `id` beside its JPEG
  // (`<HHMMSS>.wav`, atomic write, mtime = capture time) and records its
  // length in the row (store/audio_clips.cc). `wav` must parse as a WAV
  // (kCorrupt otherwise, nothing written); kNotFound for an unknown id. A
  // second call replaces the clip.
  Result<SnapshotRecord> SaveAudio(int64_t id, std::span<const uint8_t> wav);
  // Returns the WAV bytes of snapshot `id`'s clip; kNotFound when the
  // snapshot or its clip does not exist.
  Result<std::vector<uint8_t>> ReadAudio(int64_t id);

  // Stores an analysis report for `report.snapshot_id` (store/reports.cc);
  // kNotFound for an unknown snapshot. `List`/`Get` then carry the latest
  // report in `SnapshotRecord::report_json`, and `SnapshotQuery::flag` /
  // `subject_kind` filter on it.
  Result<ReportRecord> AddReport(const ReportRecord& report);

  // Walks every folder and makes the index agree with it (rows keep their
  // id when their file still exists). Safe to run at any time.
  Result<ReindexReport> Reindex();
  // Deletes the oldest non-kept snapshots (file, thumbnail, row) until every
  // limit in `policy` holds, then removes empty day folders.
  Result<RetentionReport> ApplyRetention(const RetentionPolicy& policy);

  // Returns counts and bytes per camera (zeros when the index fails).
  StoreStats Stats();
  // Returns the camera names present in the index, sorted.
  std::vector<std::string> Cameras();

  const std::filesystem::path& data_dir() const;

  struct Impl;  // store/snapshot_store.cc

 private:
  explicit SnapshotStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::store
