// SPDX-License-Identifier: Apache-2.0
// Starts a real appliance (store in a temp dir, demo-camera scheduler, web
// server on a free port) for the browser test, prints "PORT <n>" and runs
// until stdin closes. Usage: web_test_server [--seed N] [--start-scheduler]
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

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
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
