// SPDX-License-Identifier: Apache-2.0
// The analysis half of the composition root: the engine (when a model is
// configured), the report index and the one analysis worker, wired to the
// alert hub (fast first at motion, rich later at report) and live events.
#pragma once

#include <memory>
#include <string>

#include "alerts/event_bus.h"
#include "alerts/hub.h"
#include "analysis/worker.h"
#include "app/config/app_config.h"
#include "common/status.h"
#include "inference/engine.h"
#include "store/report_search.h"
#include "store/snapshot_store.h"
#include "web/server.h"

namespace vigil::app {

// Thread-compatible: Start/Stop from main; `worker()` is thread-safe.
class LiveAnalysis {
 public:
  // Loads the model when configured. A model that fails to load does not
  // stop the appliance: analysis stays off and the status says why.
  // `hub`/`events` may be null; everything must outlive this object.
  static Result<std::unique_ptr<LiveAnalysis>> Start(
      const AppConfig& config, store::SnapshotStore& store,
      alerts::AlertHub* hub, alerts::EventBus* events);
  ~LiveAnalysis();
  void Stop();

  analysis::AnalysisWorker& worker() { return *worker_; }
  // What the web server needs: search, status, on-demand requests.
  void AddTo(web::LiveSources* live);

 private:
  LiveAnalysis() = default;
  std::unique_ptr<inference::Engine> engine_;
  std::unique_ptr<store::ReportIndex> reports_;
  std::unique_ptr<analysis::AnalysisWorker> worker_;
};

}  // namespace vigil::app
