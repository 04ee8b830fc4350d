// SPDX-License-Identifier: Apache-2.0
// SnapshotStore: open/lock/reconcile, Save (validate, atomic write, row),
// reads, thumbnails and kept marks. Reconcile and retention live next door.
#include "store/snapshot_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/log.h"
#include "common/file_io.h"
#include "store/layout.h"
#include "store/store_impl.h"
#include "vision/decode.h"
#include "vision/thumbnail.h"

namespace vigil::store {
namespace fs = std::filesystem;
namespace {

constexpr const char* kReconciledKey = "reconciled_at_ms";
constexpr const char* kIndexFile = "index.sqlite";
constexpr int kMaxSameSecond = 10000;

Result<int> LockDataDir(const fs::path& dir) {
  const fs::path path = dir / ".vigil.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return IoError("cannot open '" + path.string() +
                   "': " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Unavailable("data dir '" + dir.string() +
                       "' is in use by another vigil process");
  }
  return fd;
}

// Moves a corrupt index (and its WAL) aside so a fresh one can be rebuilt.
void MoveAside(const fs::path& db) {
  const std::string suffix = ".corrupt-" + std::to_string(NowUtcMs());
  for (const char* ext : {"", "-wal", "-shm"}) {
    std::error_code ec;
    const fs::path p = db.string() + ext;
    if (fs::exists(p, ec)) fs::rename(p, p.string() + suffix, ec);
  }
  log::Warn("store", "index '" + db.string() + "' is corrupt; moved aside as " +
                         db.string() + suffix + " and rebuilding from folders");
}

Result<std::unique_ptr<Index>> OpenIndex(const fs::path& db, bool* rebuilt) {
  auto index = Index::Open(db);
  if (index.ok() || index.status().code() != StatusCode::kCorrupt) {
    return index;
  }
  log::Warn("store", index.status().ToString());
  MoveAside(db);
  *rebuilt = true;
  return Index::Open(db);
}

int64_t ToMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             t.time_since_epoch())
      .count();
}

}  // namespace

SnapshotStore::Impl::~Impl() {
  index.reset();  // close SQLite before releasing the lock
  if (lock_fd >= 0) ::close(lock_fd);
}

SnapshotStore::SnapshotStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
SnapshotStore::~SnapshotStore() = default;

const fs::path& SnapshotStore::data_dir() const { return impl_->data_dir; }

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::Open(
    const StoreOptions& opts) {
  if (opts.data_dir.empty()) return InvalidArgument("store: data_dir is empty");
  auto impl = std::make_unique<Impl>();
  impl->opts = opts;
  impl->data_dir = opts.data_dir;
  VIGIL_RETURN_IF_ERROR(CreateDirsDurable(impl->data_dir / kSnapshotsDir));
  VIGIL_RETURN_IF_ERROR(CreateDirsDurable(impl->data_dir / kThumbsDir));
  VIGIL_ASSIGN_OR_RETURN(impl->lock_fd, LockDataDir(impl->data_dir));
  bool rebuilt = false;
  VIGIL_ASSIGN_OR_RETURN(impl->index,
                         OpenIndex(impl->data_dir / kIndexFile, &rebuilt));
  VIGIL_ASSIGN_OR_RETURN(auto marker, impl->index->GetMeta(kReconciledKey));
  const int64_t start = NowUtcMs();
  ReconcileOptions ro;
  if (marker && !rebuilt) {
    int64_t since = 0;
    // A marker from the future means the clock went back: walk everything.
    if (ParseCursor(*marker + ":0").ok() && std::stoll(*marker) <= start) {
      since = std::stoll(*marker);
      ro.changed_since_ms = since - 2000;  // coarse mtime clocks, small skew
    }
  }
  VIGIL_ASSIGN_OR_RETURN(ReindexReport r, Reconcile(*impl, ro));
  if (r.rows_added + r.rows_removed + r.rows_updated + r.temp_files_removed) {
    log::Info("store", "reconciled index with folders: +" +
                           std::to_string(r.rows_added) + " rows, -" +
                           std::to_string(r.rows_removed) + " rows, " +
                           std::to_string(r.rows_updated) + " updated, " +
                           std::to_string(r.temp_files_removed) +
                           " temp files removed");
  }
  VIGIL_RETURN_IF_ERROR(
      impl->index->SetMeta(kReconciledKey, std::to_string(start)));
  return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(impl)));
}

Result<SnapshotRecord> SnapshotStore::Save(
    const std::string& camera, std::chrono::system_clock::time_point t,
    std::span<const uint8_t> jpeg) {
  Impl& s = *impl_;
  VIGIL_ASSIGN_OR_RETURN(std::string cam_dir, SafeCameraDir(camera));
  vision::JpegLimits limits;
  limits.max_bytes = s.opts.max_image_bytes;
  auto info = vision::ValidateJpeg(jpeg, limits);
  if (!info.ok()) {
    return info.status().WithContext("camera '" + camera + "' snapshot");
  }
  const int64_t ms = ToMs(t);
  const FileTime ft = ToFileTime(ms, s.opts.utc_folders);
  const std::string day = DayFolderName(ft);
  const fs::path cam_path = s.data_dir / kSnapshotsDir / cam_dir;
  const fs::path dir = cam_path / day;
  VIGIL_RETURN_IF_ERROR(CreateDirsDurable(dir));
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.named_camera_dirs.count(cam_dir)) {
      const std::string name = camera + "\n";
      VIGIL_RETURN_IF_ERROR(WriteFileAtomic(
          cam_path / kCameraNameFile,
          {reinterpret_cast<const uint8_t*>(name.data()), name.size()}));
      s.named_camera_dirs.insert(cam_dir);
    }
  }
  auto tmp = WriteTempFile(dir, jpeg, ms);
  if (!tmp.ok() && tmp.status().code() == StatusCode::kIo) {
    // Retention may have removed the (then empty) day folder meanwhile.
    VIGIL_RETURN_IF_ERROR(CreateDirsDurable(dir));
    tmp = WriteTempFile(dir, jpeg, ms);
  }
  if (!tmp.ok()) return tmp.status();
  std::lock_guard<std::mutex> lock(s.mu);
  std::string name;
  for (int suffix = 0; suffix < kMaxSameSecond && name.empty(); ++suffix) {
    const std::string candidate = SnapshotFileName(ft, suffix);
    auto moved = RenameNoReplace(*tmp, dir / candidate);
    if (!moved.ok()) {
      (void)RemoveFile(*tmp);
      return moved.status();
    }
    if (*moved) name = candidate;
  }
  if (name.empty()) {
    (void)RemoveFile(*tmp);
    return OutOfRange("more than " + std::to_string(kMaxSameSecond) +
                      " snapshots of camera '" + camera + "' in one second");
  }
  Status synced = FsyncDir(dir);
  SnapshotRecord row;
  row.camera = camera;
  row.captured_at_ms = ms;
  row.rel_path = SnapshotRelPath(cam_dir, day, name);
  row.size_bytes = static_cast<int64_t>(jpeg.size());
  row.width = info->width;
  row.height = info->height;
  Result<SnapshotRecord> saved =
      synced.ok() ? s.index->Insert(row) : Result<SnapshotRecord>(synced);
  if (!saved.ok()) {
    // A failed Save stores nothing: take the file back out.
    (void)RemoveFile(dir / name);
    (void)FsyncDir(dir);
  }
  return saved;
}

Result<SnapshotRecord> SnapshotStore::Get(int64_t id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->index->Get(id);
}

Result<SnapshotPage> SnapshotStore::List(const SnapshotQuery& query) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->index->List(query);
}

Result<std::vector<uint8_t>> SnapshotStore::ReadImage(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(SnapshotRecord row, Get(id));
  if (!IsSafeRelPath(row.rel_path)) {
    return Corrupt("snapshot " + std::to_string(id) + " has unsafe path '" +
                   row.rel_path + "'");
  }
  auto bytes = ReadFileBytes(impl_->data_dir / row.rel_path,
                             impl_->opts.max_image_bytes);
  if (!bytes.ok() && bytes.status().code() == StatusCode::kNotFound) {
    return NotFound("snapshot " + std::to_string(id) +
                    " is indexed but its file is gone (run `vigil reindex`)");
  }
  return bytes;
}

Result<std::vector<uint8_t>> SnapshotStore::ReadThumbnail(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(SnapshotRecord row, Get(id));
  if (!IsSafeRelPath(row.rel_path)) {
    return Corrupt("snapshot " + std::to_string(id) + " has unsafe path");
  }
  const fs::path thumb = impl_->data_dir / ThumbRelPath(row.rel_path);
  auto cached = ReadFileBytes(thumb, impl_->opts.max_image_bytes);
  if (cached.ok() && !cached->empty()) return cached;
  VIGIL_ASSIGN_OR_RETURN(auto image, ReadImage(id));
  vision::ThumbnailOptions to;
  to.max_width = impl_->opts.thumbnail_width;
  to.max_height = impl_->opts.thumbnail_width;
  to.quality = impl_->opts.thumbnail_quality;
  to.limits.max_bytes = impl_->opts.max_image_bytes;
  VIGIL_ASSIGN_OR_RETURN(auto small, vision::MakeThumbnail(image, to));
  // A cache: temp + rename is enough (no fsync); losing it costs a resize.
  Status st = CreateDirsDurable(thumb.parent_path());
  if (st.ok()) {
    auto tmp = WriteTempFile(thumb.parent_path(), small);
    if (tmp.ok() && ::rename(tmp->c_str(), thumb.c_str()) != 0) {
      (void)RemoveFile(*tmp);
    }
    st = tmp.status();
  }
  if (!st.ok()) log::Warn("store", "thumbnail not cached: " + st.ToString());
  return small;
}

Status SnapshotStore::SetKept(int64_t id, bool kept) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  VIGIL_ASSIGN_OR_RETURN(SnapshotRecord row, impl_->index->Get(id));
  if (!IsSafeRelPath(row.rel_path)) {
    return Corrupt("snapshot " + std::to_string(id) + " has unsafe path");
  }
  // The sidecar first: the folders are the truth a reindex reads back.
  const fs::path file = impl_->data_dir / row.rel_path;
  const fs::path sidecar = file.string() + std::string(kKeepSuffix);
  if (kept) {
    static constexpr uint8_t kMark[] = {'k', 'e', 'p', 't', '\n'};
    VIGIL_RETURN_IF_ERROR(WriteFileAtomic(sidecar, kMark));
  } else {
    VIGIL_RETURN_IF_ERROR(RemoveFile(sidecar));
    VIGIL_RETURN_IF_ERROR(FsyncDir(file.parent_path()));
  }
  return impl_->index->SetKept(id, kept);
}

Result<ReindexReport> SnapshotStore::Reindex() {
  ReconcileOptions ro;
  ro.temp_min_age_ms = 10 * 60 * 1000;  // a Save may be writing right now
  return Reconcile(*impl_, ro);
}

Result<RetentionReport> SnapshotStore::ApplyRetention(
    const RetentionPolicy& policy) {
  return Prune(*impl_, policy);
}

StoreStats SnapshotStore::Stats() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto stats = impl_->index->Stats();
  if (!stats.ok()) {
    log::Warn("store", stats.status().ToString());
    return {};
  }
  return *stats;
}

std::vector<std::string> SnapshotStore::Cameras() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto cams = impl_->index->Cameras();
  if (!cams.ok()) {
    log::Warn("store", cams.status().ToString());
    return {};
  }
  return *cams;
}

}  // namespace vigil::store
