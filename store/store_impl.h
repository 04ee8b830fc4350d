// SPDX-License-Identifier: Apache-2.0
// SnapshotStore internals shared by snapshot_store.cc, reconcile.cc and
// retention.cc. Not a public header.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "store/index.h"
#include "store/snapshot_store.h"

namespace vigil::store {

struct SnapshotStore::Impl {
  StoreOptions opts;
  std::filesystem::path data_dir;
  int lock_fd = -1;  // flock held for the store's lifetime
  // Guards `index`, file naming in day folders and `named_camera_dirs`.
  std::mutex mu;
  std::unique_ptr<Index> index;
  std::set<std::string> named_camera_dirs;  // `.camera-name` written

  ~Impl();
};

struct ReconcileOptions {
  // Only day folders modified at or after this UTC ms are walked (plus any
  // day the index and the disk disagree on); nullopt walks everything.
  std::optional<int64_t> changed_since_ms;
  // Temp files older than this are leftovers of interrupted writes; at open
  // nothing else can be writing, so every temp file qualifies.
  int64_t temp_min_age_ms = 0;
};

// Makes the index agree with the day folders (see ReconcileOptions). Takes
// `impl.mu` itself, one day folder at a time.
Result<ReindexReport> Reconcile(SnapshotStore::Impl& impl,
                                const ReconcileOptions& options);

// Deletes oldest non-kept snapshots per `policy` (see ApplyRetention).
Result<RetentionReport> Prune(SnapshotStore::Impl& impl,
                              const RetentionPolicy& policy);

// Returns the configured camera name stored in `<camera_dir>/.camera-name`
// when it maps back to `camera_dir`, else `camera_dir` itself.
std::string CameraNameForDir(const std::filesystem::path& snapshots_root,
                             const std::string& camera_dir);

int64_t NowUtcMs();

// Largest audio clip the store writes or indexes (store/audio_clips.cc).
inline constexpr uint64_t kMaxClipBytes = 64ull << 20;
// Length of a WAV image / file in ms; kCorrupt (naming the file) when it
// does not parse.
Result<int64_t> WavDurationMs(std::span<const uint8_t> wav);
Result<int64_t> ClipDurationMs(const std::filesystem::path& path);

}  // namespace vigil::store
