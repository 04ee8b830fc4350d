// SPDX-License-Identifier: Apache-2.0
// `vigil describe --audio FILE [--image FILE] ...`: the audio path of the
// describe command (spec/gemma4-vision-audio.md §6-8). `RunDescribeCommand`
// hands over to it when --audio is present.
#pragma once

#include "app/commands/describe_flags.h"
#include "common/status.h"

namespace vigil::app {

Status DescribeAudio(const DescribeFlags& f);

}  // namespace vigil::app
