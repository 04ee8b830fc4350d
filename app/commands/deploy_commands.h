// SPDX-License-Identifier: Apache-2.0
// The deploy subcommands of `vigil` (issue 7). Each takes the words after
// its name and returns the process exit code (see app/cli.h).
#pragma once

#include <string>
#include <vector>

namespace vigil::app {

// `vigil model pull e2b|e4b [--quant Q4_K_M] [--dir D] [--base-url URL]
// [--repo OWNER/NAME] [--revision REV] [--manifest FILE] [--no-progress]`:
// downloads the model GGUF and its mmproj (model_pull/model_pull.h).
int RunModelPullCommand(const std::vector<std::string>& args);

// Returns the help text of `vigil model pull`.
std::string ModelPullHelp();

}  // namespace vigil::app
