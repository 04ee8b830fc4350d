// SPDX-License-Identifier: Apache-2.0
// Command-line plumbing shared by the subcommands: flag parsing, help texts,
// exit codes and loading the config a command runs with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/config/app_config.h"
#include "common/status.h"

namespace vigil::app {

// Process exit codes (documented in `vigil --help`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed
inline constexpr int kExitUsage = 2;    // bad command line or config

// Flags every config-using command accepts.
struct CommonFlags {
  std::optional<std::string> config_path;  // --config FILE (or $VIGIL_CONFIG)
  std::optional<std::string> data_dir;     // --data DIR overrides storage
  bool help = false;                       // -h / --help
  std::vector<std::string> positional;
  std::vector<std::string> extra;  // --name / --name=value not handled here
};

// Parses `args` (the words after the subcommand). Unknown `--flags` are
// kept in `extra` when `allow_extra`, else kInvalidArgument.
Result<CommonFlags> ParseCommonFlags(const std::vector<std::string>& args,
                                     bool allow_extra = false);

// Loads the config named by the flags ($VIGIL_CONFIG when no --config; the
// embedded defaults with data under ./data when neither), applies --data
// and the log level. Errors come back ready to print.
Result<AppConfig> LoadForCommand(const CommonFlags& flags);

// Prints "vigil: <message>" to stderr and returns `code`.
int Fail(int code, const std::string& message);

// Returns the top-level usage text / the text of one command (empty when
// `command` is unknown).
std::string UsageText();
std::string CommandHelp(const std::string& command);
// Returns "vigil 0.1.0".
std::string VersionText();

}  // namespace vigil::app
