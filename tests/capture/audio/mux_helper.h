// SPDX-License-Identifier: Apache-2.0
// Test helper: encodes interleaved float audio as FLAC in a Matroska file
// with libav's own encoder and muxer (a real media file with an audio track).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"

namespace vigil::capture::audio::testing {

Status MuxFlac(std::span<const float> interleaved, int rate, int channels,
               const std::string& path);

}  // namespace vigil::capture::audio::testing
