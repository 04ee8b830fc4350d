// SPDX-License-Identifier: Apache-2.0
// Starts a real appliance (store in a temp dir, demo-camera scheduler, web
// server on a free port) for the browser test, prints "PORT <n>" and runs
// until stdin closes. Usage: web_test_server [--seed N] [--start-scheduler]
// Stdin commands (live-gallery test): `snap <camera>` captures one snapshot
// through the scheduler (printing "SNAP <id>"); `report <id> <flag>` stores
// a report with that flag, publishes it and runs the alert rules
// (printing "REPORT <id>").
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <sstream>

#include "alerts/hub.h"
#include "common/log.h"
#include "tests/web/test_fixture.h"

int main(int argc, char** argv) {
  int seed = 0;
  bool start_scheduler = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      seed = std::atoi(argv[++i]);
    } else if (arg == "--start-scheduler") {
      start_scheduler = true;
    } else {
      std::cerr << "usage: web_test_server [--seed N] [--start-scheduler]\n";
      return 2;
    }
  }
  vigil::log::SetLevel(vigil::log::Level::kWarn);
  vigil::web::testing::Appliance app(
      {.cameras = {"front_door", "backyard", "garage"}, .interval_s = 60});
  // Spread seeded snapshots over the last two days so day headers show.
  const auto now = std::chrono::system_clock::now();
  for (const char* camera : {"front_door", "backyard"}) {
    app.Seed(camera, seed, now - std::chrono::hours(36),
             std::chrono::minutes(36 * 60 / std::max(seed, 1)));
  }
  if (start_scheduler && !app.scheduler().Start().ok()) return 1;
  std::cout << "PORT " << app.port() << std::endl;
  vigil::alerts::AlertsConfig alerts;
  alerts.rules = {{.name = "flagged", .cooldown_s = 0}};
  vigil::alerts::AlertHub hub(alerts, app.outbox(), {.bus = &app.events()});
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd, arg, flag;
    in >> cmd >> arg >> flag;
    if (cmd == "snap") {
      auto id = app.scheduler().SnapNow(arg);
      std::cout << (id.ok() ? "SNAP " + std::to_string(*id)
                            : "ERROR " + id.status().ToString())
                << std::endl;
    } else if (cmd == "report") {
      const int64_t id = std::atoll(arg.c_str());
      auto snap = app.store().Get(id);
      const std::string json =
          R"({"scene":"A grey cat sits on the step.","subjects":[{"kind":)"
          R"("animal","description":"grey cat","count":1}],"activity":)"
          R"("Sitting still.","flags":[")" + flag + R"("]})";
      auto added = app.store().AddReport({.snapshot_id = id, .model = "test",
                                          .json = json});
      if (!snap.ok() || !added.ok()) {
        std::cout << "ERROR report " << id << std::endl;
        continue;
      }
      vigil::alerts::PublishReport(app.events(), id, snap->camera);
      (void)hub.OnReport({.camera = snap->camera, .snapshot_id = id,
                          .at_ms = snap->captured_at_ms, .flags = {flag},
                          .subject_kinds = {"animal"}, .report_json = json});
      std::cout << "REPORT " << id << std::endl;
    }
  }
  return 0;
}
