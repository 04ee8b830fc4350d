// SPDX-License-Identifier: Apache-2.0
// `vigil cameras`: the configured cameras with their stored counts.
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "app/appliance.h"
#include "app/cli.h"
#include "app/commands/commands.h"

namespace vigil::app {
namespace {

std::string Bytes(int64_t b) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1);
  if (b >= (1ll << 30)) {
    os << b / double(1ll << 30) << " GiB";
  } else if (b >= (1 << 20)) {
    os << b / double(1 << 20) << " MiB";
  } else {
    os << b / 1024.0 << " KiB";
  }
  return os.str();
}

}  // namespace

int RunCameras(const Args& args) {
  Result<CommonFlags> flags = ParseCommonFlags(args);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());
  if (flags->help) {
    std::cout << CommandHelp("cameras");
    return kExitOk;
  }
  Result<AppConfig> config = LoadForCommand(*flags);
  if (!config.ok()) return Fail(kExitUsage, config.status().message());

  std::map<std::string, store::CameraStats> stats;
  auto store = OpenStore(*config);
  if (store.ok()) {
    for (auto& s : (*store)->Stats().cameras) stats[s.camera] = s;
  } else {
    std::cerr << "vigil: (no stored counts: " << store.status().message()
              << ")\n";
  }
  // The scheduler is never started: it only builds sources to describe them.
  capture::Scheduler scheduler(config->cameras, [](auto&&, auto&&) {
    return Result<int64_t>(Unavailable("listing only"));
  });
  std::cout << std::left << std::setw(16) << "NAME" << std::setw(13) << "KIND"
            << std::setw(9) << "ENABLED" << std::setw(10) << "INTERVAL"
            << std::setw(10) << "STORED" << std::setw(11) << "SIZE"
            << "SOURCE\n";
  for (const capture::CameraStatus& s : scheduler.Statuses()) {
    const store::CameraStats& st = stats[s.name];
    std::ostringstream interval;
    interval << s.interval_s << "s";
    std::cout << std::setw(16) << s.name << std::setw(13)
              << capture::SourceKindName(s.kind) << std::setw(9)
              << (s.enabled ? "yes" : "no") << std::setw(10) << interval.str()
              << std::setw(10) << st.count << std::setw(11) << Bytes(st.bytes)
              << (s.last_error.empty() ? s.description
                                       : s.description + " [" + s.last_error + "]")
              << "\n";
  }
  return kExitOk;
}

}  // namespace vigil::app
