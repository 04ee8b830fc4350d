// SPDX-License-Identifier: Apache-2.0
// Small-subject crops: a person at the far end of a 4K frame is a few
// patches wide after resizing to the model's budget, so when motion is
// confined to a region the model also gets that region, padded and cut from
// the full-resolution frame.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "vision/gemma_preprocess.h"
#include "vision/motion.h"

namespace vigil::analysis {

struct CropOptions {
  bool enabled = true;
  // Crop only when the motion box covers at most this share of the frame.
  float max_region_fraction = 0.25f;
  // Padding on each side, as a share of the box's width/height (context
  // around the subject).
  float padding = 0.5f;
  // The crop is at least this many pixels on each side (when the frame is).
  int32_t min_side = 256;
};

// InvalidArgument naming the field.
Status Validate(const CropOptions& options);

// Returns the padded crop for motion `bounds` in a `width` x `height` frame,
// or nullopt when cropping is off, there is no region, the region is too
// large, or the padded crop would cover most of the frame anyway.
std::optional<vision::Rect> SubjectCrop(const vision::Rect& bounds,
                                        int32_t width, int32_t height,
                                        const CropOptions& options);

// Copies `rect` (inside the image; checked) out of `image`.
Result<vision::RgbImage> CropImage(const vision::RgbImage& image,
                                   const vision::Rect& rect);

}  // namespace vigil::analysis
