// SPDX-License-Identifier: Apache-2.0
// `vigil describe --audio FILE [--image FILE] ...`: the audio path of the
// describe command (spec/gemma4-vision-audio.md §6-8). `RunDescribeCommand`
// hands over to it when --audio is present.
#pragma once

#include <string>
#include <vector>

namespace vigil::app {

// Returns the process exit code (0 ok, 1 runtime error, 2 usage error).
int RunDescribeAudioCommand(const std::vector<std::string>& args);

}  // namespace vigil::app
