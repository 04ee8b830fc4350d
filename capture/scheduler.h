// SPDX-License-Identifier: Apache-2.0
// Runs every enabled camera on its own schedule (one thread per camera),
// hands each image to a sink (app passes the snapshot store), backs off while
// a camera fails, and reports per-camera status for the API, UI and metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/camera_config.h"
#include "capture/clip_recorder.h"
#include "capture/source.h"
#include "capture/source_factory.h"
#include "common/status.h"

namespace vigil::capture {

// Stores one image and returns its snapshot id. Called from scheduler threads
// (several at once), so it must be thread-safe. capture/ never links store/:
// app adapts `SnapshotStore::Save` to this.
using SnapshotSink =
    std::function<Result<int64_t>(const std::string& camera, CapturedImage&&)>;
// Builds a camera's source; `MakeSource` unless a caller supplies another.
using SourceFactory =
    std::function<Result<std::unique_ptr<Source>>(const CameraConfig&)>;

struct CameraStatus {
  std::string name;
  SourceKind kind = SourceKind::kDemo;
  std::string description;  // e.g. "http http://cam.local/snap.jpg", no creds
  bool enabled = true;
  bool online = false;  // the last attempt succeeded
  std::string last_error;  // redacted; empty after a success
  StatusCode last_error_code = StatusCode::kOk;
  std::optional<int64_t> last_snapshot_id;
  std::optional<std::chrono::system_clock::time_point> last_snapshot_time;
  std::optional<std::chrono::system_clock::time_point> last_attempt;
  // When the scheduler will try next; empty while stopped or disabled.
  std::optional<std::chrono::system_clock::time_point> next_attempt;
  int consecutive_failures = 0;
  uint64_t captures_total = 0;  // images stored
  uint64_t failures_total = 0;  // failed attempts (capture or sink)
  double interval_s = 0;
};

// Returns the wait before the next attempt, without jitter: `interval_s`,
// doubled per consecutive failure, capped at max(interval_s, max_backoff_s).
std::chrono::duration<double> BackoffDelay(const CameraConfig& config,
                                           int consecutive_failures);

// Thread-safe: every public method may be called from any thread.
class Scheduler {
 public:
  // Builds a source per camera. A camera whose config is invalid or whose
  // source cannot be built stays listed, offline, with the error in its
  // status; validate with `ValidateCameras` first to reject such configs.
  Scheduler(std::vector<CameraConfig> cameras, SnapshotSink sink,
            SourceFactory factory = MakeSource);
  ~Scheduler();  // calls Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Records an audio clip after each stored snapshot of every camera whose
  // `audio.source` is not none, on a per-camera worker (never delaying image
  // capture), handing it to `sink`. Call before Start(); a camera whose
  // audio source cannot be built logs a warning and takes images only.
  void SetAudio(AudioSink sink, AudioSourceFactory factory = MakeAudioSource);

  // Starts one thread per enabled camera. The first capture happens at once
  // (plus a random delay in [0, jitter_s)). Returns kInvalidArgument if
  // already running.
  Status Start();
  // Stops all threads; interrupts waits and in-flight captures (HTTP is
  // aborted, others are bounded by their timeouts). Idempotent.
  void Stop();
  bool running() const;

  // Returns one status per configured camera, in config order.
  std::vector<CameraStatus> Statuses() const;
  // Returns the status of `camera` or kNotFound.
  Result<CameraStatus> StatusOf(const std::string& camera) const;

  // Captures from `camera` now on the calling thread, stores the image
  // through the sink and returns its id. Works whether or not the scheduler
  // is running (`vigil snap`). Errors: kNotFound (unknown camera, or a watch
  // folder with nothing new), kUnavailable (camera disabled/offline), or the
  // capture/sink error. A success resets the camera's backoff.
  Result<int64_t> SnapNow(const std::string& camera);

 private:
  struct Camera;
  struct Shared;
  void RunCamera(Camera& cam);
  // Captures (draining push sources), stores and records the outcome.
  Result<int64_t> CaptureOnce(Camera& cam);
  Result<int64_t> CaptureAndStore(Camera& cam);
  void RecordSuccess(Camera& cam, int64_t id,
                     std::chrono::system_clock::time_point when);
  void RecordFailure(Camera& cam, const Status& status);
  void RecordIdle(Camera& cam);
  Camera* Find(const std::string& name) const;

  SnapshotSink sink_;
  std::vector<std::unique_ptr<Camera>> cameras_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace vigil::capture
