// SPDX-License-Identifier: Apache-2.0
// Loads the one YAML config file into an `AppConfig` (the only yaml-cpp user;
// its exceptions stop here). Unknown keys are rejected; every error names the
// file, line and key and says what was expected, e.g.
//   "cameras.porch.interval_s: must be > 0, got 0 (config.yaml line 14)".
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "app/config/app_config.h"
#include "common/status.h"

namespace vigil::app {

// Looks up an environment variable; empty optional when unset. Tests pass
// their own; the default reads the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> ProcessEnv(const std::string& name);

struct LoadOptions {
  EnvLookup env = ProcessEnv;
  // Password hashing work factor (tests lower it; see web/auth.h).
  int hash_iterations = 0;  // 0 = web::kPbkdf2Iterations
};

// Parses `yaml` (named `source_name` in messages; relative paths are resolved
// against `base_dir`), expands `${VAR}` from the environment, validates every
// section, and registers passwords and tokens with log::RegisterSecret.
// Returns kInvalidArgument with file/line/key on any problem.
Result<AppConfig> LoadConfigString(const std::string& yaml,
                                   const std::string& source_name,
                                   const std::filesystem::path& base_dir,
                                   const LoadOptions& options = {});
// Reads `path` and calls `LoadConfigString`; kNotFound/kIo if unreadable.
Result<AppConfig> LoadConfigFile(const std::filesystem::path& path,
                                 const LoadOptions& options = {});

}  // namespace vigil::app
