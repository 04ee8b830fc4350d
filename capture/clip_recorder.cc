// SPDX-License-Identifier: Apache-2.0
// Per-camera audio clip worker (see clip_recorder.h).
#include "capture/clip_recorder.h"

#include "common/log.h"

namespace vigil::capture {
namespace {
constexpr const char* kTag = "audio";
}  // namespace

Result<std::unique_ptr<audio::AudioClipSource>> MakeAudioSource(
    const CameraConfig& config) {
  switch (config.audio.source) {
    case AudioSourceKind::kRtsp:
      return audio::MakeStreamAudioSource(
          config.audio.device.empty() ? config.url : config.audio.device);
    case AudioSourceKind::kAlsa:
      return audio::MakeAlsaSource(
          config.audio.device.empty() ? "default" : config.audio.device);
    default:
      return std::unique_ptr<audio::AudioClipSource>();
  }
}

ClipRecorder::ClipRecorder(std::string camera, double clip_s,
                           std::unique_ptr<audio::AudioClipSource> source,
                           AudioSink sink)
    : camera_(std::move(camera)),
      clip_s_(clip_s),
      source_(std::move(source)),
      sink_(std::move(sink)),
      thread_([this] { Run(); }) {}

ClipRecorder::~ClipRecorder() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool ClipRecorder::Request(int64_t snapshot_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (busy_ || pending_ || stopping_) return false;
    pending_ = snapshot_id;
  }
  cv_.notify_all();
  return true;
}

uint64_t ClipRecorder::clips_stored() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stored_;
}

uint64_t ClipRecorder::clips_failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void ClipRecorder::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || pending_.has_value(); });
    if (stopping_) return;
    const int64_t id = *pending_;
    pending_.reset();
    busy_ = true;
    lock.unlock();
    RecordOne(id);
    lock.lock();
    busy_ = false;
  }
}

void ClipRecorder::RecordOne(int64_t snapshot_id) {
  Result<audio::PcmAudio> clip = source_->Capture(clip_s_);
  Status st = clip.ok() ? sink_(camera_, snapshot_id, *clip) : clip.status();
  std::lock_guard<std::mutex> lock(mu_);
  if (st.ok()) {
    ++stored_;
    return;
  }
  // Log the first failure and every change, not every snapshot.
  if (failed_++ == 0 || stored_ > 0) {
    log::Warn(kTag, "camera " + camera_ + ": no clip for snapshot " +
                        std::to_string(snapshot_id) + ": " +
                        log::Redact(st.ToString()));
  }
}

}  // namespace vigil::capture
