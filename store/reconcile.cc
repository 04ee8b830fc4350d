// SPDX-License-Identifier: Apache-2.0
// Folder-to-index reconciliation: at open (day folders changed since the
// last open, cheap) and for `Reindex` (every folder). Folders are the truth.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <system_error>

#include "common/log.h"
#include "common/file_io.h"
#include "store/layout.h"
#include "store/store_impl.h"
#include "vision/decode.h"

namespace vigil::store {
namespace fs = std::filesystem;
namespace {

struct DayDir {
  std::string camera_dir;
  std::string day;
  int64_t mtime_ms = 0;
};

struct DiskFile {
  int64_t size = 0;
  int64_t mtime_ms = 0;
};

// What one day folder holds, read without the store lock.
struct DayListing {
  std::map<std::string, DiskFile> jpegs;  // by file name
  std::set<std::string> kept;             // jpeg names with a .keep sidecar
  std::set<std::string> clips;  // jpeg names with a .wav clip beside them
};

int64_t MtimeMs(const struct stat& st) {
  return int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1000000;
}

std::string Prefix(const std::string& camera_dir, const std::string& day) {
  return std::string(kSnapshotsDir) + "/" + camera_dir + "/" + day + "/";
}

// Removes `path` when it is one of our temp files and older than
// `min_age_ms` (younger ones may belong to a Save in progress).
bool RemovedStaleTemp(const fs::path& path, const std::string& name,
                      const struct stat& st, int64_t min_age_ms,
                      ReindexReport* report) {
  if (!name.starts_with(kTempPrefix)) return false;
  if (NowUtcMs() - MtimeMs(st) >= min_age_ms && RemoveFile(path).ok()) {
    ++report->temp_files_removed;
  }
  return true;
}

// Lists snapshots/<camera>/<YYYY-MM-DD>/ folders (others are ignored) and
// removes stale temp files beside them (a kill while `.camera-name` was
// being written leaves one there).
std::vector<DayDir> ListDayDirs(const fs::path& root, int64_t temp_min_age_ms,
                                ReindexReport* report) {
  std::vector<DayDir> out;
  std::error_code ec;
  for (const auto& cam : fs::directory_iterator(root, ec)) {
    const std::string cam_name = cam.path().filename().string();
    if (cam_name.empty() || cam_name[0] == '.' || !cam.is_directory(ec)) {
      continue;
    }
    std::error_code ec2;
    for (const auto& day : fs::directory_iterator(cam.path(), ec2)) {
      const std::string day_name = day.path().filename().string();
      struct stat st;
      if (::lstat(day.path().c_str(), &st) != 0) continue;
      if (S_ISREG(st.st_mode) &&
          RemovedStaleTemp(day.path(), day_name, st, temp_min_age_ms, report)) {
        continue;
      }
      if (!ParseDayFolder(day_name) || ::stat(day.path().c_str(), &st) != 0 ||
          !S_ISDIR(st.st_mode)) {
        continue;
      }
      out.push_back({cam_name, day_name, MtimeMs(st)});
    }
  }
  return out;
}

// Lists one day folder and removes stale temp files.
DayListing ListDay(const fs::path& dir, int64_t temp_min_age_ms,
                   ReindexReport* report) {
  DayListing out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    struct stat st;
    if (::lstat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (RemovedStaleTemp(e.path(), name, st, temp_min_age_ms, report)) continue;
    if (name.ends_with(std::string(".jpg") + std::string(kKeepSuffix))) {
      out.kept.insert(name.substr(0, name.size() - kKeepSuffix.size()));
    } else if (name.ends_with(".jpg")) {
      out.jpegs[name] = {st.st_size, MtimeMs(st)};
    } else if (name.ends_with(".wav")) {
      out.clips.insert(name.substr(0, name.size() - 4) + ".jpg");
    }
  }
  return out;
}

// The capture instant of a file: its mtime when that falls in the second
// its name says (Save sets it, and it survives DST ambiguity), else the name.
int64_t CaptureMs(const SnapshotPath& p, const DiskFile& f, bool utc) {
  const FileTime m = ToFileTime(f.mtime_ms, utc);
  const FileTime& t = p.time;
  if (m.year == t.year && m.month == t.month && m.day == t.day &&
      m.hour == t.hour && m.minute == t.minute && m.second == t.second) {
    return f.mtime_ms;
  }
  return FromFileTime(t, utc);
}

// Reads one new file's header into a row; false (and a log line) when the
// file is not a usable JPEG.
bool MakeRow(const fs::path& path, const SnapshotPath& p, const DiskFile& f,
             const SnapshotStore::Impl& impl, SnapshotRecord* row) {
  auto bytes = ReadFileBytes(path, impl.opts.max_image_bytes);
  Result<vision::JpegInfo> info =
      bytes.ok() ? vision::ReadJpegHeader(*bytes) : bytes.status();
  if (!info.ok()) {
    log::Warn("store", "not indexing '" + path.string() +
                           "': " + info.status().ToString());
    return false;
  }
  row->captured_at_ms = CaptureMs(p, f, impl.opts.utc_folders);
  row->size_bytes = static_cast<int64_t>(bytes->size());
  row->width = info->width;
  row->height = info->height;
  return true;
}

// Makes `row.audio_ms` agree with the clip beside the JPEG (read only when
// the row does not know it yet). Returns true when the row changed.
bool SyncClip(const fs::path& dir, const std::string& name,
              const DayListing& listing, SnapshotRecord* row) {
  if (!listing.clips.count(name)) {
    const bool had = row->audio_ms.has_value();
    row->audio_ms.reset();
    return had;
  }
  if (row->audio_ms) return false;
  const fs::path clip = dir / (name.substr(0, name.size() - 4) + ".wav");
  auto ms = ClipDurationMs(clip);
  if (!ms.ok()) {
    log::Warn("store", "not indexing clip: " + ms.status().ToString());
    return false;
  }
  row->audio_ms = *ms;
  return true;
}

Status ReconcileDay(SnapshotStore::Impl& impl, const DayDir& d,
                    const ReconcileOptions& options, ReindexReport* report) {
  const fs::path root = impl.data_dir / kSnapshotsDir;
  const fs::path dir = root / d.camera_dir / d.day;
  const std::string camera = CameraNameForDir(root, d.camera_dir);
  const std::string prefix = Prefix(d.camera_dir, d.day);
  std::lock_guard<std::mutex> lock(impl.mu);  // no Save renames meanwhile
  const DayListing listing = ListDay(dir, options.temp_min_age_ms, report);
  VIGIL_ASSIGN_OR_RETURN(auto rows, impl.index->RowsWithPrefix(prefix));
  IndexChanges changes;
  std::set<std::string> has_row;
  for (SnapshotRecord& row : rows) {
    const std::string name = row.rel_path.substr(prefix.size());
    auto it = listing.jpegs.find(name);
    if (it == listing.jpegs.end()) {
      changes.remove.push_back(row.id);
      continue;
    }
    has_row.insert(name);
    const bool kept = listing.kept.count(name) > 0;
    const bool clip_changed = SyncClip(dir, name, listing, &row);
    if (row.size_bytes != it->second.size || row.kept != kept) {
      auto p = ParseFileName(d.camera_dir, d.day, name);
      if (!p || !MakeRow(dir / name, *p, it->second, impl, &row)) {
        changes.remove.push_back(row.id);  // replaced by something unusable
        ++report->files_skipped;
        continue;
      }
      row.kept = kept;
      changes.update.push_back(row);
    } else if (clip_changed) {
      changes.update.push_back(row);
    }
  }
  for (const auto& [name, file] : listing.jpegs) {
    ++report->files_seen;
    if (has_row.count(name)) continue;
    SnapshotRecord row;
    auto p = ParseFileName(d.camera_dir, d.day, name);
    if (!p || !MakeRow(dir / name, *p, file, impl, &row)) {
      ++report->files_skipped;
      continue;
    }
    row.camera = camera;
    row.rel_path = prefix + name;
    row.kept = listing.kept.count(name) > 0;
    (void)SyncClip(dir, name, listing, &row);
    changes.add.push_back(std::move(row));
  }
  report->rows_added += changes.add.size();
  report->rows_removed += changes.remove.size();
  report->rows_updated += changes.update.size();
  if (changes.add.empty() && changes.remove.empty() && changes.update.empty()) {
    return OkStatus();
  }
  return impl.index->Apply(changes);
}

}  // namespace

int64_t NowUtcMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string CameraNameForDir(const fs::path& root,
                             const std::string& camera_dir) {
  auto bytes = ReadFileBytes(root / camera_dir / kCameraNameFile, 4096);
  if (!bytes.ok()) return camera_dir;
  std::string name(bytes->begin(), bytes->end());
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) {
    name.pop_back();
  }
  auto safe = SafeCameraDir(name);
  return safe.ok() && *safe == camera_dir ? name : camera_dir;
}

Result<ReindexReport> Reconcile(SnapshotStore::Impl& impl,
                                const ReconcileOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ReindexReport report;
  std::vector<std::string> index_days;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    VIGIL_ASSIGN_OR_RETURN(index_days, impl.index->DayPrefixes());
  }
  std::set<std::string> unseen(index_days.begin(), index_days.end());
  for (const DayDir& d : ListDayDirs(impl.data_dir / kSnapshotsDir,
                                          options.temp_min_age_ms, &report)) {
    const std::string prefix = Prefix(d.camera_dir, d.day);
    const bool indexed = unseen.erase(prefix) > 0;
    if (indexed && options.changed_since_ms &&
        d.mtime_ms < *options.changed_since_ms) {
      continue;  // untouched since the last reconcile
    }
    VIGIL_RETURN_IF_ERROR(ReconcileDay(impl, d, options, &report));
  }
  // Day folders (or whole cameras) deleted behind our back.
  for (const std::string& prefix : unseen) {
    std::lock_guard<std::mutex> lock(impl.mu);
    VIGIL_ASSIGN_OR_RETURN(auto rows, impl.index->RowsWithPrefix(prefix));
    IndexChanges changes;
    for (const SnapshotRecord& r : rows) changes.remove.push_back(r.id);
    report.rows_removed += changes.remove.size();
    VIGIL_RETURN_IF_ERROR(impl.index->Apply(changes));
  }
  report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  return report;
}

}  // namespace vigil::store
