// SPDX-License-Identifier: Apache-2.0
// Fuzzes the YAML config loader (app/config/load.cc): any bytes must give a
// config that passes validation or a located kInvalidArgument, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/config/load.h"
#include "common/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::app::LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "UNSET") return std::nullopt;
    return "env-" + name;
  };
  options.hash_iterations = 1000;  // the minimum web/auth.cc accepts
  std::string yaml(reinterpret_cast<const char*>(data), size);
  auto config = vigil::app::LoadConfigString(yaml, "fuzz.yaml", "/fuzz", options);
  if (config.ok()) {
    VIGIL_CHECK(vigil::capture::ValidateCameras(config->cameras).ok());
    VIGIL_CHECK(config->web.options.port >= 0 &&
                config->web.options.port <= 65535);
    VIGIL_CHECK(config->storage.data_dir.is_absolute());
  } else {
    VIGIL_CHECK(!config.status().message().empty());
  }
  return 0;
}
