// SPDX-License-Identifier: Apache-2.0
#include "analysis/worker.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace vigil::analysis {
namespace {

struct Frame {
  std::string camera;
  int64_t snapshot_id = 0;
  int64_t at_ms = 0;
};

}  // namespace

struct AnalysisWorker::Impl {
  WorkerOptions options;
  store::SnapshotStore& store;
  store::ReportIndex& reports;
  inference::Engine* engine;
  WorkerHooks hooks;
  std::string no_model_reason;
  std::unique_ptr<Analyzer> analyzer;
  JobQueue jobs;

  mutable std::mutex mu;  // guards everything below
  std::condition_variable frames_cv, idle_cv;
  std::deque<Frame> frames;
  bool stopping = false, started = false;
  int busy = 0;  // frames or jobs being processed now
  std::map<std::string, vision::MotionDetector> detectors;
  std::map<std::string, int64_t> last_queued_ms;  // per camera
  WorkerStatus stats;
  std::thread motion_thread, model_thread;

  Impl(WorkerOptions o, store::SnapshotStore& s, store::ReportIndex& r,
       inference::Engine* e, WorkerHooks h, std::string reason)
      : options(std::move(o)), store(s), reports(r), engine(e),
        hooks(std::move(h)), no_model_reason(std::move(reason)),
        jobs(options.queue_capacity) {}

  const CameraAnalysisOptions& Camera(const std::string& name) const {
    auto it = options.cameras.find(name);
    return it == options.cameras.end() ? options.defaults : it->second;
  }
  void MotionLoop();
  void ModelLoop();
  void CheckFrame(const Frame& f);
  void Done() {
    std::lock_guard lock(mu);
    --busy;
    idle_cv.notify_all();
  }
  void Fail(const std::string& what, const Status& s) {
    log::Warn("analysis", what + ": " + s.ToString());
    std::lock_guard lock(mu);
    ++stats.failures;
    stats.last_error = what + ": " + s.message();
  }
};

std::string StatusJson(const WorkerStatus& s) {
  nlohmann::json j = {{"model_loaded", s.model_loaded},
                      {"model", s.model},
                      {"message", s.message},
                      {"queued", s.queued},
                      {"reports", s.reports},
                      {"failures", s.failures},
                      {"dropped", s.dropped},
                      {"frames_checked", s.frames_checked},
                      {"motion_events", s.motion_events},
                      {"still_skipped", s.still_skipped},
                      {"last_duration_s", s.last_duration_s},
                      {"last_error", s.last_error}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AnalysisWorker::AnalysisWorker(WorkerOptions options,
                               store::SnapshotStore& store,
                               store::ReportIndex& reports,
                               inference::Engine* engine, WorkerHooks hooks,
                               std::string no_model_reason)
    : impl_(std::make_unique<Impl>(std::move(options), store, reports, engine,
                                   std::move(hooks),
                                   std::move(no_model_reason))) {}

AnalysisWorker::~AnalysisWorker() { Stop(); }

Status AnalysisWorker::Start() {
  Impl& m = *impl_;
  if (m.started) return InvalidArgument("analysis worker already started");
  VIGIL_RETURN_IF_ERROR(vision::Validate(m.options.defaults.motion));
  VIGIL_RETURN_IF_ERROR(Validate(m.options.defaults.crop));
  for (const auto& [name, cam] : m.options.cameras) {
    VIGIL_RETURN_IF_ERROR(vision::Validate(cam.motion).WithContext(
        "analysis.cameras." + name));
    VIGIL_RETURN_IF_ERROR(
        Validate(cam.crop).WithContext("analysis.cameras." + name));
  }
  if (m.engine != nullptr) {
    VIGIL_ASSIGN_OR_RETURN(m.analyzer,
                           Analyzer::Create(*m.engine, m.store, m.reports,
                                            m.options.analyzer));
    m.stats.model_loaded = true;
    m.stats.model = m.engine->model_name();
    m.stats.message = "ready";
    if (!m.engine->has_audio()) {
      log::Info("analysis", "the mmproj has no audio tower: reports are made "
                            "from images only (audio clips are kept)");
    }
  } else {
    m.stats.message =
        "no model configured: snapshots are captured and checked for "
        "motion, but not analysed" +
        (m.no_model_reason.empty() ? "" : " (" + m.no_model_reason + ")");
  }
  m.started = true;
  m.motion_thread = std::thread([&m] { m.MotionLoop(); });
  m.model_thread = std::thread([&m] { m.ModelLoop(); });
  return OkStatus();
}

void AnalysisWorker::Stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.mu);
    if (!m.started || m.stopping) return;
    m.stopping = true;
    m.frames_cv.notify_all();
  }
  m.jobs.Close();
  if (m.motion_thread.joinable()) m.motion_thread.join();
  if (m.model_thread.joinable()) m.model_thread.join();
}

void AnalysisWorker::OnSnapshot(const std::string& camera, int64_t id,
                                int64_t at_ms) {
  Impl& m = *impl_;
  std::lock_guard lock(m.mu);
  if (m.stopping || !m.Camera(camera).enabled) return;
  if (m.frames.size() >= m.options.frame_backlog) {
    m.frames.pop_front();  // behind: the newest frames matter most
    ++m.stats.dropped;
  }
  m.frames.push_back({camera, id, at_ms});
  m.frames_cv.notify_one();
}

Status AnalysisWorker::Request(int64_t snapshot_id) {
  Impl& m = *impl_;
  if (m.analyzer == nullptr) {
    return Unavailable("analysis is off: " + status().message);
  }
  VIGIL_ASSIGN_OR_RETURN(store::SnapshotRecord rec, m.store.Get(snapshot_id));
  if (!m.Camera(rec.camera).enabled) {
    return InvalidArgument("camera '" + rec.camera +
                           "' has analysis turned off (analysis.cameras." +
                           rec.camera + ".enabled)");
  }
  std::lock_guard lock(m.mu);
  if (!m.jobs.Push({.trigger = Trigger::kOnDemand, .snapshot_id = rec.id,
                    .camera = rec.camera, .captured_at_ms = rec.captured_at_ms,
                    .motion_bounds = std::nullopt, .frame_width = 0,
                    .frame_height = 0})) {
    return Unavailable("analysis queue is full; try again shortly");
  }
  return OkStatus();
}

WorkerStatus AnalysisWorker::status() const {
  std::lock_guard lock(impl_->mu);
  WorkerStatus s = impl_->stats;
  s.queued = impl_->jobs.size();
  s.dropped += impl_->jobs.dropped();
  return s;
}

bool AnalysisWorker::WaitIdle(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  std::unique_lock lock(m.mu);
  return m.idle_cv.wait_for(lock, timeout, [&] {
    return m.frames.empty() && m.busy == 0 && m.jobs.Idle();
  });
}

void AnalysisWorker::Impl::MotionLoop() {
  for (;;) {
    Frame f;
    {
      std::unique_lock lock(mu);
      frames_cv.wait(lock, [&] { return stopping || !frames.empty(); });
      if (stopping) return;
      f = std::move(frames.front());
      frames.pop_front();
      ++busy;
    }
    CheckFrame(f);
    Done();
  }
}

// Motion verdict for one snapshot; queues it when it deserves analysis.
void AnalysisWorker::Impl::CheckFrame(const Frame& f) {
  const CameraAnalysisOptions& cam = Camera(f.camera);
  auto jpeg = store.ReadImage(f.snapshot_id);
  if (!jpeg.ok()) return Fail("snapshot " + std::to_string(f.snapshot_id),
                              jpeg.status());
  auto frame = vision::DecodeImage(*jpeg);
  if (!frame.ok()) return Fail("snapshot " + std::to_string(f.snapshot_id),
                               frame.status());
  vision::MotionResult motion;
  {
    std::lock_guard lock(mu);
    auto it = detectors.try_emplace(f.camera, cam.motion).first;
    auto r = it->second.Update(*frame);
    if (!r.ok()) {
      ++stats.failures;
      stats.last_error = r.status().message();
      return;
    }
    motion = *r;
    ++stats.frames_checked;
    if (motion.motion) ++stats.motion_events;
  }
  if (motion.motion && hooks.on_motion) {
    hooks.on_motion(f.camera, f.snapshot_id, f.at_ms);
  }
  if (analyzer == nullptr) return;
  Job job{.trigger = Trigger::kMotion, .snapshot_id = f.snapshot_id,
          .camera = f.camera, .captured_at_ms = f.at_ms,
          .motion_bounds = std::nullopt, .frame_width = frame->width,
          .frame_height = frame->height};
  std::lock_guard lock(mu);
  auto last = last_queued_ms.find(f.camera);
  if (motion.motion) {
    job.motion_bounds = motion.bounds;
  } else if (last == last_queued_ms.end() ||
             (cam.periodic_s > 0 &&
              f.at_ms - last->second >= int64_t(cam.periodic_s) * 1000)) {
    job.trigger = Trigger::kPeriodic;  // first look, or the periodic refresh
  } else {
    ++stats.still_skipped;  // a still scene is not re-analysed
    return;
  }
  if (jobs.Push(std::move(job))) last_queued_ms[f.camera] = f.at_ms;
}

void AnalysisWorker::Impl::ModelLoop() {
  for (;;) {
    std::optional<Job> job = jobs.Pop();
    if (!job) return;
    auto r = analyzer->Run(*job, Camera(job->camera));
    if (!r.ok()) {
      Fail("analysing snapshot " + std::to_string(job->snapshot_id),
           r.status());
    } else {
      {
        std::lock_guard lock(mu);
        ++stats.reports;
        stats.last_duration_s = double(r->stored.duration_ms) / 1000.0;
      }
      if (hooks.on_report) hooks.on_report(r->stored, r->report);
    }
    jobs.Finish();
    std::lock_guard lock(mu);
    idle_cv.notify_all();
  }
}

}  // namespace vigil::analysis
