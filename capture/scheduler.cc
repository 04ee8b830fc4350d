// SPDX-License-Identifier: Apache-2.0
// One thread per enabled camera. Each waits on a shared condition variable
// until its next attempt, so Stop() wakes everyone at once; in-flight HTTP
// captures are cancelled through Source::Cancel, others end at their timeout.
#include "capture/scheduler.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "capture/source_factory.h"
#include "common/log.h"

namespace vigil::capture {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SysClock = std::chrono::system_clock;

constexpr const char* kTag = "capture";
// Upper bound on images taken from a push source in one attempt, so one
// flooded folder cannot starve Stop() or the log.
constexpr int kMaxDrainPerAttempt = 500;

SteadyClock::duration Seconds(double s) {
  return std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(s));
}

}  // namespace

std::chrono::duration<double> BackoffDelay(const CameraConfig& config,
                                           int consecutive_failures) {
  double delay = config.interval_s;
  int failures = std::clamp(consecutive_failures, 0, 30);
  if (failures > 0) {
    double cap = std::max(config.interval_s, config.max_backoff_s);
    delay = std::min(cap, config.interval_s * std::ldexp(1.0, failures));
  }
  return std::chrono::duration<double>(delay);
}

struct Scheduler::Shared {
  mutable std::mutex mu;  // guards every Camera::status/next_due and flags
  std::condition_variable cv;
  bool running = false;
  bool stopping = false;
};

struct Scheduler::Camera {
  CameraConfig config;
  std::unique_ptr<Source> source;  // null when it could not be built
  Status source_error;
  std::mutex capture_mu;  // a source serves one capture at a time
  CameraStatus status;
  SteadyClock::time_point next_due;
  std::thread thread;
  std::mt19937_64 rng;
  std::unique_ptr<ClipRecorder> clips;  // null without audio

  SteadyClock::duration NextDelay() {
    return Seconds(BackoffDelay(config, status.consecutive_failures).count() +
                   Jitter());
  }
  double Jitter() {
    if (config.jitter_s <= 0) return 0;
    return std::uniform_real_distribution<double>(0, config.jitter_s)(rng);
  }
};

Scheduler::Scheduler(std::vector<CameraConfig> cameras, SnapshotSink sink,
                     SourceFactory factory)
    : sink_(std::move(sink)), shared_(std::make_unique<Shared>()) {
  std::random_device seed;
  for (CameraConfig& config : cameras) {
    auto cam = std::make_unique<Camera>();
    cam->status.name = config.name;
    cam->status.kind = config.kind;
    cam->status.enabled = config.enabled;
    cam->status.interval_s = config.interval_s;
    cam->rng.seed((uint64_t{seed()} << 32) ^ seed());
    Status valid = Validate(config);
    if (valid.ok() && Find(config.name)) {
      valid = InvalidArgument("cameras." + config.name +
                              ": duplicate camera name");
    }
    auto source = valid.ok() ? factory(config)
                             : Result<std::unique_ptr<Source>>(valid);
    if (source.ok()) {
      cam->source = std::move(source).value();
      cam->status.description = log::Redact(cam->source->Describe());
    } else {
      cam->source_error = source.status();
      cam->status.last_error = log::Redact(source.status().ToString());
      cam->status.last_error_code = source.status().code();
      log::Error(kTag, "camera " + config.name + ": " +
                           cam->status.last_error);
    }
    cam->config = std::move(config);
    cameras_.push_back(std::move(cam));
  }
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::SetAudio(AudioSink sink, AudioSourceFactory factory) {
  for (auto& cam : cameras_) {
    const CameraAudioConfig& a = cam->config.audio;
    if (a.source == AudioSourceKind::kNone || !cam->config.enabled) continue;
    auto source = factory(cam->config);
    if (!source.ok() || !*source) {
      log::Warn(kTag, "camera " + cam->config.name + ": no audio clips: " +
                          (source.ok() ? std::string("no source")
                                       : log::Redact(source.status().ToString())));
      continue;
    }
    cam->clips = std::make_unique<ClipRecorder>(
        cam->config.name, a.clip_s, std::move(source).value(), sink);
  }
}

Status Scheduler::Start() {
  std::lock_guard<std::mutex> lock(shared_->mu);
  if (shared_->running) return InvalidArgument("scheduler already running");
  shared_->running = true;
  shared_->stopping = false;
  for (auto& cam : cameras_) {
    if (!cam->config.enabled || !cam->source) continue;
    cam->next_due = SteadyClock::now() + Seconds(cam->Jitter());
    cam->status.next_attempt = SysClock::now();
    Camera* c = cam.get();
    cam->thread = std::thread([this, c] { RunCamera(*c); });
  }
  return OkStatus();
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (!shared_->running || shared_->stopping) return;
    shared_->stopping = true;
    for (auto& cam : cameras_) {
      if (cam->source) cam->source->Cancel();
    }
  }
  shared_->cv.notify_all();
  for (auto& cam : cameras_) {
    if (cam->thread.joinable()) cam->thread.join();
  }
  std::lock_guard<std::mutex> lock(shared_->mu);
  for (auto& cam : cameras_) {
    if (cam->source) cam->source->ResetCancel();
    cam->status.next_attempt.reset();
  }
  shared_->running = false;
  shared_->stopping = false;
}

bool Scheduler::running() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->running;
}

void Scheduler::RunCamera(Camera& cam) {
  std::unique_lock<std::mutex> lock(shared_->mu);
  while (!shared_->stopping) {
    while (!shared_->stopping && SteadyClock::now() < cam.next_due) {
      shared_->cv.wait_until(lock, cam.next_due);
    }
    if (shared_->stopping) break;
    lock.unlock();
    (void)CaptureOnce(cam);
    lock.lock();
    auto delay = cam.NextDelay();
    cam.next_due = SteadyClock::now() + delay;
    cam.status.next_attempt =
        SysClock::now() +
        std::chrono::duration_cast<SysClock::duration>(delay);
  }
}

Result<int64_t> Scheduler::SnapNow(const std::string& camera) {
  Camera* cam = Find(camera);
  if (!cam) return NotFound("no camera named '" + camera + "'");
  if (!cam->config.enabled) {
    return Unavailable("camera '" + camera + "' is disabled in the config");
  }
  return CaptureOnce(*cam);
}

Result<int64_t> Scheduler::CaptureOnce(Camera& cam) {
  std::lock_guard<std::mutex> capture_lock(cam.capture_mu);
  if (!cam.source) {
    RecordFailure(cam, cam.source_error);
    return cam.source_error;
  }
  if (!cam.source->IsPush()) {
    auto r = CaptureAndStore(cam);
    if (!r.ok()) RecordFailure(cam, r.status());
    return r;
  }
  // Push source: take everything that is ready; a bad file is a failure
  // but does not stop the others.
  std::optional<int64_t> last_id;
  Status last_error;
  for (int i = 0; i < kMaxDrainPerAttempt; ++i) {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      if (shared_->stopping) break;
    }
    auto r = CaptureAndStore(cam);
    if (r.ok()) {
      last_id = *r;
      continue;
    }
    if (r.status().code() == StatusCode::kNotFound) break;
    last_error = r.status();
    RecordFailure(cam, last_error);
    if (r.status().code() == StatusCode::kUnavailable) break;
  }
  if (last_id) return *last_id;
  if (!last_error.ok()) return last_error;
  RecordIdle(cam);
  return NotFound("camera '" + cam.config.name + "': nothing new to ingest");
}

Result<int64_t> Scheduler::CaptureAndStore(Camera& cam) {
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    cam.status.last_attempt = SysClock::now();
  }
  VIGIL_ASSIGN_OR_RETURN(CapturedImage img, cam.source->Capture());
  auto when = img.captured_at;
  auto id = sink_(cam.config.name, std::move(img));
  if (!id.ok()) return id.status().WithContext("storing the snapshot");
  Status committed = cam.source->Commit();
  if (!committed.ok()) {
    log::Warn(kTag, "camera " + cam.config.name + ": stored snapshot " +
                        std::to_string(*id) + " but " +
                        log::Redact(committed.ToString()));
  }
  RecordSuccess(cam, *id, when);
  // The clip starts right after the frame, on the camera's audio worker.
  if (cam.clips && !cam.clips->Request(*id)) {
    log::Info(kTag, "camera " + cam.config.name + ": previous clip still "
                    "recording; snapshot " + std::to_string(*id) +
                    " has no clip");
  }
  return *id;
}

void Scheduler::RecordSuccess(Camera& cam, int64_t id,
                              SysClock::time_point when) {
  std::lock_guard<std::mutex> lock(shared_->mu);
  CameraStatus& s = cam.status;
  if (s.consecutive_failures > 0) {
    log::Info(kTag, "camera " + s.name + " back online after " +
                        std::to_string(s.consecutive_failures) + " failures");
    // A success (e.g. SnapNow) ends the backoff right away.
    cam.next_due = std::min(cam.next_due,
                            SteadyClock::now() + Seconds(cam.config.interval_s));
  }
  s.online = true;
  s.last_error.clear();
  s.last_error_code = StatusCode::kOk;
  s.last_snapshot_id = id;
  s.last_snapshot_time = when;
  s.consecutive_failures = 0;
  s.captures_total++;
}

void Scheduler::RecordFailure(Camera& cam, const Status& status) {
  std::string error = log::Redact(status.ToString());
  std::lock_guard<std::mutex> lock(shared_->mu);
  CameraStatus& s = cam.status;
  // Log when a camera goes offline or its error changes, not every retry.
  if (s.consecutive_failures == 0 || error != s.last_error) {
    log::Warn(kTag, "camera " + s.name + ": " + error);
  }
  s.online = false;
  s.last_error = error;
  s.last_error_code = status.code();
  s.consecutive_failures++;
  s.failures_total++;
}

void Scheduler::RecordIdle(Camera& cam) {
  std::lock_guard<std::mutex> lock(shared_->mu);
  // A push source with nothing new is healthy, not failing.
  cam.status.online = true;
  cam.status.consecutive_failures = 0;
}

std::vector<CameraStatus> Scheduler::Statuses() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  std::vector<CameraStatus> out;
  out.reserve(cameras_.size());
  for (const auto& cam : cameras_) out.push_back(cam->status);
  return out;
}

Result<CameraStatus> Scheduler::StatusOf(const std::string& camera) const {
  Camera* cam = Find(camera);
  if (!cam) return NotFound("no camera named '" + camera + "'");
  std::lock_guard<std::mutex> lock(shared_->mu);
  return cam->status;
}

Scheduler::Camera* Scheduler::Find(const std::string& name) const {
  for (const auto& cam : cameras_) {
    if (cam->config.name == name) return cam.get();
  }
  return nullptr;
}

}  // namespace vigil::capture
