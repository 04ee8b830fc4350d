// SPDX-License-Identifier: Apache-2.0
// `vigil snap CAMERA`: one capture, stored, without starting the schedule.
#include <iostream>

#include "app/appliance.h"
#include "app/cli.h"
#include "app/commands/commands.h"

namespace vigil::app {

int RunSnap(const Args& args) {
  Result<CommonFlags> flags = ParseCommonFlags(args);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());
  if (flags->help) {
    std::cout << CommandHelp("snap");
    return kExitOk;
  }
  if (flags->positional.size() != 1) {
    return Fail(kExitUsage, "usage: vigil snap CAMERA (see vigil help snap)");
  }
  const std::string& camera = flags->positional[0];
  Result<AppConfig> config = LoadForCommand(*flags);
  if (!config.ok()) return Fail(kExitUsage, config.status().message());

  std::string names;
  for (const auto& c : config->cameras) names += (names.empty() ? "" : ", ") + c.name;
  bool known = false;
  for (const auto& c : config->cameras) known |= c.name == camera;
  if (!known) {
    return Fail(kExitUsage, "no camera named '" + camera +
                                "' in the config; configured: " +
                                (names.empty() ? "(none)" : names));
  }
  auto store = OpenStore(*config);
  if (!store.ok()) return Fail(kExitFailure, store.status().ToString());
  capture::Scheduler scheduler(config->cameras, StoreSink(**store));
  Result<int64_t> id = scheduler.SnapNow(camera);
  if (!id.ok()) {
    return Fail(kExitFailure, "snap " + camera + ": " + id.status().ToString());
  }
  Result<store::SnapshotRecord> rec = (*store)->Get(*id);
  if (!rec.ok()) return Fail(kExitFailure, rec.status().ToString());
  std::cout << "stored snapshot " << rec->id << ": "
            << ((*store)->data_dir() / rec->rel_path).string() << " ("
            << rec->width << "x" << rec->height << ", " << rec->size_bytes
            << " bytes)\n";
  return kExitOk;
}

}  // namespace vigil::app
