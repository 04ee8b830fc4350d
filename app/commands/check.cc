// SPDX-License-Identifier: Apache-2.0
// `vigil check`: validate the config and summarize it.
#include <iostream>

#include "app/cli.h"
#include "app/commands/commands.h"

namespace vigil::app {

int RunCheck(const Args& args) {
  Result<CommonFlags> flags = ParseCommonFlags(args);
  if (!flags.ok()) return Fail(kExitUsage, flags.status().message());
  if (flags->help) {
    std::cout << CommandHelp("check");
    return kExitOk;
  }
  Result<AppConfig> config = LoadForCommand(*flags);
  if (!config.ok()) return Fail(kExitUsage, config.status().message());
  const AppConfig& c = *config;
  std::cout << c.source << ": OK\n"
            << "  data dir  " << c.storage.data_dir.string() << "\n"
            << "  web       http://" << c.web.options.bind_address << ":"
            << c.web.options.port
            << (c.web.first_run_password ? " (first-run password)" : "")
            << ", " << c.web.options.api_tokens.size() << " API token(s)\n"
            << "  cameras  ";
  for (const auto& cam : c.cameras) {
    std::cout << " " << cam.name << " (" << capture::SourceKindName(cam.kind)
              << ", every " << cam.interval_s << "s"
              << (cam.enabled ? "" : ", disabled") << ")";
  }
  std::cout << (c.cameras.empty() ? " none\n" : "\n");
  return kExitOk;
}

}  // namespace vigil::app
