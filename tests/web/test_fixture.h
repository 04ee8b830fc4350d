// SPDX-License-Identifier: Apache-2.0
// A real appliance for web tests: SnapshotStore in a temp dir, a Scheduler
// with demo cameras and a WebServer on a free port. Shared by the API tests
// and the `web_test_server` binary the browser test drives.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "alerts/event_bus.h"
#include "capture/scheduler.h"
#include "store/outbox.h"
#include "store/snapshot_store.h"
#include "web/server.h"

namespace vigil::web::testing {

inline constexpr char kPassword[] = "hunter2-but-longer";
inline constexpr char kToken[] = "test-token-0123456789abcdef";

struct ApplianceOptions {
  std::filesystem::path data_dir;  // created; empty = a fresh temp dir
  std::vector<std::string> cameras = {"front_door", "backyard"};
  int port = 0;
  int demo_width = 320;  // small demo frames keep tests fast
  int demo_height = 180;
  double interval_s = 3600;  // the scheduler is not started by default
};

class Appliance {
 public:
  // Opens everything; aborts the test binary via VIGIL_CHECK on failure
  // (a broken fixture is a programmer bug, not bad input).
  explicit Appliance(ApplianceOptions options = {});
  ~Appliance();

  // Stores `count` copies of a demo frame for `camera`, `step` apart,
  // starting at `start`; returns their ids in capture order.
  std::vector<int64_t> Seed(const std::string& camera, int count,
                            std::chrono::system_clock::time_point start,
                            std::chrono::milliseconds step);

  int port() const { return server_->port(); }
  store::SnapshotStore& store() { return *store_; }
  // Live events (every stored snapshot is published) and the alert outbox
  // behind /api/events and /api/alerts.
  alerts::EventBus& events() { return events_; }
  store::Outbox& outbox() { return *outbox_; }
  capture::Scheduler& scheduler() { return *scheduler_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::filesystem::path data_dir_;
  bool owns_dir_ = false;
  std::vector<uint8_t> frame_;
  std::unique_ptr<store::SnapshotStore> store_;
  alerts::EventBus events_;
  std::unique_ptr<store::Outbox> outbox_;
  std::unique_ptr<capture::Scheduler> scheduler_;
  std::unique_ptr<WebServer> server_;
};

}  // namespace vigil::web::testing
