// SPDX-License-Identifier: Apache-2.0
// The analysis worker: one per machine. A motion thread checks every new
// snapshot against its camera's background and queues the interesting ones
// (motion now, still scenes only every `periodic_s`); a model thread works
// the queue (on-demand first) through one loaded engine. Without a model it
// keeps checking motion (fast alerts still fire) and says why in status().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "analysis/analyzer.h"
#include "analysis/job_queue.h"
#include "analysis/report.h"
#include "common/status.h"
#include "inference/engine.h"
#include "store/report_search.h"
#include "store/snapshot_store.h"

namespace vigil::analysis {

struct WorkerOptions {
  AnalyzerOptions analyzer;
  CameraAnalysisOptions defaults;                       // unlisted cameras
  std::map<std::string, CameraAnalysisOptions> cameras; // by camera name
  size_t queue_capacity = 64;
  size_t frame_backlog = 32;  // snapshots awaiting the motion check
};

// Wired by the composition root (alerts, live events). Called on the
// worker's threads; must not block for long.
struct WorkerHooks {
  std::function<void(const std::string& camera, int64_t snapshot_id,
                     int64_t at_ms)>
      on_motion;
  std::function<void(const store::StoredReport&, const Report&)> on_report;
};

struct WorkerStatus {
  bool model_loaded = false;
  std::string model;
  std::string message;  // "ready", "no model configured: ...", ...
  size_t queued = 0;
  int64_t reports = 0;
  int64_t failures = 0;
  int64_t dropped = 0;          // queue overflow
  int64_t frames_checked = 0;   // motion checks
  int64_t motion_events = 0;
  int64_t still_skipped = 0;    // still snapshots not re-analysed
  double last_duration_s = 0;
  std::string last_error;
};

// {"model_loaded":..,"model":..,"message":..,...}
std::string StatusJson(const WorkerStatus& status);

// Thread-safe.
class AnalysisWorker {
 public:
  // `engine` may be null (no model configured; `no_model_reason` says why).
  // `store`, `reports` and `engine` must outlive the worker.
  AnalysisWorker(WorkerOptions options, store::SnapshotStore& store,
                 store::ReportIndex& reports, inference::Engine* engine,
                 WorkerHooks hooks, std::string no_model_reason = {});
  ~AnalysisWorker();  // Stop()

  // Validates options and starts both threads.
  Status Start();
  // Finishes the running analysis, drops the rest, joins. Idempotent.
  void Stop();

  // A new snapshot was stored (capture sink; returns at once).
  void OnSnapshot(const std::string& camera, int64_t snapshot_id,
                  int64_t captured_at_ms);
  // Analyse this snapshot next. Unavailable without a model, NotFound for
  // an unknown snapshot, FailedPrecondition-like InvalidArgument when its
  // camera opted out.
  Status Request(int64_t snapshot_id);

  WorkerStatus status() const;
  // Blocks until no snapshot or job is pending or running (tests, tools).
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::analysis
