// SPDX-License-Identifier: Apache-2.0
// Retention: max age and max bytes, per camera and global. Oldest first,
// kept snapshots never. Rows go first (one transaction per batch), then
// files: a crash in between leaves files without rows, which the next open
// re-indexes and the next pass prunes again; never a row without a file.
#include <unistd.h>

#include <cerrno>
#include <set>

#include "common/log.h"
#include "common/file_io.h"
#include "store/layout.h"
#include "store/store_impl.h"

namespace vigil::store {
namespace fs = std::filesystem;
namespace {

constexpr int kBatch = 500;

struct Pruner {
  SnapshotStore::Impl& impl;
  RetentionReport report;
  std::set<fs::path> touched_days;    // snapshot day folders that lost files
  std::set<fs::path> touched_thumbs;  // their thumbnail folders

  // Deletes the rows, then their files, sidecars and thumbnails.
  Status Delete(const std::vector<SnapshotRecord>& rows) {
    IndexChanges changes;
    for (const SnapshotRecord& r : rows) changes.remove.push_back(r.id);
    VIGIL_RETURN_IF_ERROR(impl.index->Apply(changes));
    for (const SnapshotRecord& r : rows) {
      report.removed_count += 1;
      report.removed_bytes += r.size_bytes;
      if (!IsSafeRelPath(r.rel_path)) continue;  // never unlink outside
      const fs::path file = impl.data_dir / r.rel_path;
      const fs::path thumb = impl.data_dir / ThumbRelPath(r.rel_path);
      Status st = RemoveFile(file);
      if (!st.ok()) log::Warn("store", "retention: " + st.ToString());
      (void)RemoveFile(file.string() + std::string(kKeepSuffix));
      (void)RemoveFile(thumb);
      (void)RemoveFile(impl.data_dir / AudioRelPath(r.rel_path));
      touched_days.insert(file.parent_path());
      touched_thumbs.insert(thumb.parent_path());
    }
    return OkStatus();
  }

  // Removes every non-kept row (of `camera`) captured before `before_ms`.
  Status ByAge(const std::optional<std::string>& camera, int64_t before_ms) {
    while (true) {
      std::lock_guard<std::mutex> lock(impl.mu);
      VIGIL_ASSIGN_OR_RETURN(
          auto rows, impl.index->OldestUnkept(camera, before_ms, kBatch));
      if (rows.empty()) return OkStatus();
      VIGIL_RETURN_IF_ERROR(Delete(rows));
    }
  }

  // Removes the oldest non-kept rows (of `camera`) until `max_bytes` holds.
  Status ByBytes(const std::optional<std::string>& camera, int64_t max_bytes) {
    while (true) {
      std::lock_guard<std::mutex> lock(impl.mu);
      VIGIL_ASSIGN_OR_RETURN(StoreStats stats, impl.index->Stats());
      int64_t total = stats.bytes;
      if (camera) {
        total = 0;
        for (const CameraStats& c : stats.cameras) {
          if (c.camera == *camera) total = c.bytes;
        }
      }
      if (total <= max_bytes) return OkStatus();
      VIGIL_ASSIGN_OR_RETURN(
          auto rows, impl.index->OldestUnkept(camera, std::nullopt, kBatch));
      if (rows.empty()) {
        report.over_limit_kept = true;
        return OkStatus();
      }
      std::vector<SnapshotRecord> victims;
      for (SnapshotRecord& r : rows) {
        if (total <= max_bytes) break;
        total -= r.size_bytes;
        victims.push_back(std::move(r));
      }
      VIGIL_RETURN_IF_ERROR(Delete(victims));
    }
  }

  // Removes day folders left empty (snapshots and thumbs), then syncs their
  // camera folders so the deletions are durable.
  void RemoveEmptyDirs() {
    std::set<fs::path> parents;
    for (const auto* dirs : {&touched_days, &touched_thumbs}) {
      for (const fs::path& dir : *dirs) {
        if (::rmdir(dir.c_str()) == 0) {
          if (dirs == &touched_days) ++report.dirs_removed;
          parents.insert(dir.parent_path());
        } else if (errno == ENOTEMPTY || errno == EEXIST) {
          (void)FsyncDir(dir);  // make the unlinks inside it durable
        } else if (errno != ENOENT) {
          log::Warn("store", "retention: cannot remove folder " + dir.string());
        }
      }
    }
    for (const fs::path& p : parents) (void)FsyncDir(p);
  }
};

int64_t AgeCutoff(int64_t now_ms, std::chrono::seconds age) {
  return now_ms - static_cast<int64_t>(age.count()) * 1000;
}

}  // namespace

Result<RetentionReport> Prune(SnapshotStore::Impl& impl,
                              const RetentionPolicy& policy) {
  const int64_t now_ms =
      policy.now ? std::chrono::duration_cast<std::chrono::milliseconds>(
                       policy.now->time_since_epoch())
                       .count()
                 : NowUtcMs();
  Pruner p{impl, {}, {}, {}};
  Status st;
  for (const auto& [camera, limits] : policy.per_camera) {
    if (st.ok() && limits.max_age) {
      st = p.ByAge(camera, AgeCutoff(now_ms, *limits.max_age));
    }
  }
  if (st.ok() && policy.global.max_age) {
    st = p.ByAge(std::nullopt, AgeCutoff(now_ms, *policy.global.max_age));
  }
  for (const auto& [camera, limits] : policy.per_camera) {
    if (st.ok() && limits.max_bytes) st = p.ByBytes(camera, *limits.max_bytes);
  }
  if (st.ok() && policy.global.max_bytes) {
    st = p.ByBytes(std::nullopt, *policy.global.max_bytes);
  }
  p.RemoveEmptyDirs();  // also after a failure: tidy what was deleted
  if (!st.ok()) return st;
  if (p.report.removed_count > 0) {
    log::Info("store", "retention removed " +
                           std::to_string(p.report.removed_count) +
                           " snapshots (" +
                           std::to_string(p.report.removed_bytes) + " bytes)");
  }
  return p.report;
}

}  // namespace vigil::store
