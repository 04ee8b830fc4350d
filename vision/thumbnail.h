// SPDX-License-Identifier: Apache-2.0
// Gallery thumbnails: JPEG in, smaller JPEG out. Pure function, no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "vision/decode.h"

namespace vigil::vision {

struct ThumbnailOptions {
  int32_t max_width = 320;   // the result fits in max_width x max_height,
  int32_t max_height = 320;  // aspect ratio kept; never upscaled
  int32_t quality = 80;      // JPEG quality, 1..100
  JpegLimits limits;         // applied to the input
};

// Returns a JPEG of `jpeg` scaled down to fit the box in `options`.
// Decodes at 1/2, 1/4 or 1/8 scale when that is still larger than the box
// (libjpeg DCT scaling), which makes large camera frames cheap. Returns
// kCorrupt / kOutOfRange like `ValidateJpeg`, kInvalidArgument for bad
// options.
Result<std::vector<uint8_t>> MakeThumbnail(
    std::span<const uint8_t> jpeg, const ThumbnailOptions& options = {});

}  // namespace vigil::vision
