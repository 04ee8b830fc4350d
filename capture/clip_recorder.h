// SPDX-License-Identifier: Apache-2.0
// Records the audio clip after each snapshot on a camera's own worker
// thread, so a clip of several seconds never delays image capture (of this
// camera or any other). One recording at a time per camera; a request that
// arrives while one is running is dropped (the next snapshot gets a clip).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "capture/audio/clip_source.h"
#include "capture/camera_config.h"
#include "common/status.h"

namespace vigil::capture {

// Stores the clip of snapshot `snapshot_id` (app passes the snapshot store).
using AudioSink = std::function<Status(
    const std::string& camera, int64_t snapshot_id,
    const audio::PcmAudio& clip)>;
// Builds a camera's audio source; null when `audio.source` is none.
using AudioSourceFactory =
    std::function<Result<std::unique_ptr<audio::AudioClipSource>>(
        const CameraConfig&)>;

// The default factory: rtsp -> the stream/file `audio.device` (or the
// camera's url) through libav; alsa -> `audio.device` (or "default").
Result<std::unique_ptr<audio::AudioClipSource>> MakeAudioSource(
    const CameraConfig& config);

// Thread-safe.
class ClipRecorder {
 public:
  ClipRecorder(std::string camera, double clip_s,
               std::unique_ptr<audio::AudioClipSource> source, AudioSink sink);
  // Waits for a recording in progress (bounded by its timeout).
  ~ClipRecorder();
  ClipRecorder(const ClipRecorder&) = delete;
  ClipRecorder& operator=(const ClipRecorder&) = delete;

  // Asks for a clip for `snapshot_id`; returns false (and records nothing)
  // while the previous clip is still being recorded.
  bool Request(int64_t snapshot_id);
  // Clips stored / failed so far (status and tests).
  uint64_t clips_stored() const;
  uint64_t clips_failed() const;

 private:
  void Run();
  void RecordOne(int64_t snapshot_id);

  const std::string camera_;
  const double clip_s_;
  std::unique_ptr<audio::AudioClipSource> source_;
  AudioSink sink_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<int64_t> pending_;
  bool busy_ = false;
  bool stopping_ = false;
  uint64_t stored_ = 0, failed_ = 0;
  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace vigil::capture
