// SPDX-License-Identifier: Apache-2.0
// Audio clips beside snapshots (issue 5): `<HHMMSS>.wav` next to
// `<HHMMSS>.jpg`, written atomically, length indexed in `audio_ms`.
#include <sys/stat.h>

#include "capture/audio/wav.h"
#include "common/file_io.h"
#include "store/layout.h"
#include "store/store_impl.h"

namespace vigil::store {
namespace fs = std::filesystem;

Result<int64_t> WavDurationMs(std::span<const uint8_t> wav) {
  capture::audio::WavLimits limits;
  limits.max_bytes = kMaxClipBytes;
  VIGIL_ASSIGN_OR_RETURN(capture::audio::PcmAudio pcm,
                         capture::audio::ParseWav(wav, limits));
  return static_cast<int64_t>(pcm.seconds() * 1000.0 + 0.5);
}

Result<int64_t> ClipDurationMs(const fs::path& path) {
  VIGIL_ASSIGN_OR_RETURN(auto bytes, ReadFileBytes(path, kMaxClipBytes));
  auto ms = WavDurationMs(bytes);
  if (!ms.ok()) return ms.status().WithContext("clip '" + path.string() + "'");
  return ms;
}

Result<SnapshotRecord> SnapshotStore::SaveAudio(int64_t id,
                                                std::span<const uint8_t> wav) {
  auto ms = WavDurationMs(wav);
  if (!ms.ok()) {
    return ms.status().WithContext("audio clip for snapshot " +
                                   std::to_string(id));
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  VIGIL_ASSIGN_OR_RETURN(SnapshotRecord row, impl_->index->Get(id));
  if (!IsSafeRelPath(row.rel_path)) {
    return Corrupt("snapshot " + std::to_string(id) + " has unsafe path");
  }
  const fs::path clip = impl_->data_dir / AudioRelPath(row.rel_path);
  // Same mtime as the JPEG so a reindex pairs them by name and time.
  VIGIL_ASSIGN_OR_RETURN(
      fs::path tmp, WriteTempFile(clip.parent_path(), wav, row.captured_at_ms));
  if (::rename(tmp.c_str(), clip.c_str()) != 0) {
    (void)RemoveFile(tmp);
    return IoError("cannot rename clip into '" + clip.string() + "'");
  }
  VIGIL_RETURN_IF_ERROR(FsyncDir(clip.parent_path()));
  VIGIL_RETURN_IF_ERROR(impl_->index->SetAudio(id, *ms));
  row.audio_ms = *ms;
  return row;
}

Result<std::vector<uint8_t>> SnapshotStore::ReadAudio(int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(SnapshotRecord row, Get(id));
  if (!row.audio_ms) {
    return NotFound("snapshot " + std::to_string(id) + " has no audio clip");
  }
  if (!IsSafeRelPath(row.rel_path)) {
    return Corrupt("snapshot " + std::to_string(id) + " has unsafe path");
  }
  auto bytes =
      ReadFileBytes(impl_->data_dir / AudioRelPath(row.rel_path), kMaxClipBytes);
  if (!bytes.ok() && bytes.status().code() == StatusCode::kNotFound) {
    return NotFound("snapshot " + std::to_string(id) +
                    " has an indexed clip but its file is gone (run `vigil "
                    "reindex`)");
  }
  return bytes;
}

}  // namespace vigil::store
