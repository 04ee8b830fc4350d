// SPDX-License-Identifier: Apache-2.0
// The composition root (frigate/app.py's role): the only place store,
// capture and web meet. Starts store -> scheduler -> retention -> web, and
// stops them in reverse.
#pragma once

#include <iosfwd>
#include <memory>

#include "app/config/app_config.h"
#include "app/live_alerts.h"
#include "app/live_analysis.h"
#include "app/retention_timer.h"
#include "capture/scheduler.h"
#include "common/status.h"
#include "store/snapshot_store.h"
#include "web/server.h"

namespace vigil::app {

// Returns a scheduler sink that saves each image in `store` (which must
// outlive the sink) and returns the new snapshot id.
capture::SnapshotSink StoreSink(store::SnapshotStore& store);

// Opens the store a command works on, turning "data dir in use" into advice.
Result<std::unique_ptr<store::SnapshotStore>> OpenStore(const AppConfig& config);

// Thread-compatible: Start/Stop from one thread (main).
class Appliance {
 public:
  // `console` receives the one-time first-run password.
  Appliance(AppConfig config, std::ostream& console);
  ~Appliance();  // calls Stop()

  // Starts every part in order; on failure stops what was started and
  // returns the error naming the failing part.
  Status Start();
  // Stops web, retention, scheduler, then closes the store. Idempotent.
  void Stop();
  // The bound web port (after Start).
  int port() const;
  // Alerts, outbox and live events (after Start; null before).
  LiveAlerts* live_alerts() { return live_.get(); }

 private:
  AppConfig config_;
  std::ostream& console_;
  std::unique_ptr<store::SnapshotStore> store_;
  std::unique_ptr<LiveAlerts> live_;
  std::unique_ptr<LiveAnalysis> analysis_;
  std::unique_ptr<capture::Scheduler> scheduler_;
  std::unique_ptr<RetentionTimer> retention_;
  std::unique_ptr<web::WebServer> web_;
};

}  // namespace vigil::app
