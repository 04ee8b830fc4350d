// SPDX-License-Identifier: Apache-2.0
#include "analysis/crop.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace vigil::analysis {
namespace {

// Grows [start, start + len) to `want` around its centre, inside [0, limit).
void Grow(int32_t* start, int32_t* len, int32_t want, int32_t limit) {
  want = std::min(std::max(want, *len), limit);
  const int32_t centre = *start + *len / 2;
  int32_t s = centre - want / 2;
  s = std::clamp(s, 0, limit - want);
  *start = s;
  *len = want;
}

}  // namespace

Status Validate(const CropOptions& o) {
  if (!(o.max_region_fraction > 0 && o.max_region_fraction <= 1)) {
    return InvalidArgument("crop.max_region_fraction: must be in (0, 1], got " +
                           std::to_string(o.max_region_fraction));
  }
  if (!(o.padding >= 0 && o.padding <= 4)) {
    return InvalidArgument("crop.padding: must be in [0, 4], got " +
                           std::to_string(o.padding));
  }
  if (o.min_side < 48 || o.min_side > 4096) {
    return InvalidArgument("crop.min_side: must be in [48, 4096], got " +
                           std::to_string(o.min_side));
  }
  return OkStatus();
}

std::optional<vision::Rect> SubjectCrop(const vision::Rect& b, int32_t width,
                                        int32_t height, const CropOptions& o) {
  if (!o.enabled || b.area() <= 0 || width <= 0 || height <= 0) {
    return std::nullopt;
  }
  const double frame = double(width) * height;
  if (double(b.area()) > o.max_region_fraction * frame) return std::nullopt;
  vision::Rect r{std::clamp(b.x, 0, width - 1), std::clamp(b.y, 0, height - 1),
                 0, 0};
  r.width = std::clamp(b.width, 1, width - r.x);
  r.height = std::clamp(b.height, 1, height - r.y);
  const int32_t want_w =
      std::max(int32_t(r.width * (1 + 2 * o.padding)), o.min_side);
  const int32_t want_h =
      std::max(int32_t(r.height * (1 + 2 * o.padding)), o.min_side);
  Grow(&r.x, &r.width, want_w, width);
  Grow(&r.y, &r.height, want_h, height);
  // No gain when the crop is most of the frame.
  if (double(r.area()) > 0.6 * frame) return std::nullopt;
  return r;
}

Result<vision::RgbImage> CropImage(const vision::RgbImage& img,
                                   const vision::Rect& r) {
  if (img.rgb.size() != size_t(img.width) * size_t(img.height) * 3) {
    return InvalidArgument("crop: inconsistent image");
  }
  if (r.x < 0 || r.y < 0 || r.width <= 0 || r.height <= 0 ||
      r.x > img.width - r.width || r.y > img.height - r.height) {
    return InvalidArgument("crop: rectangle " + std::to_string(r.width) + "x" +
                           std::to_string(r.height) + "+" +
                           std::to_string(r.x) + "+" + std::to_string(r.y) +
                           " is outside the " + std::to_string(img.width) +
                           "x" + std::to_string(img.height) + " image");
  }
  vision::RgbImage out{r.width, r.height,
                       std::vector<uint8_t>(size_t(r.width) * r.height * 3)};
  for (int32_t y = 0; y < r.height; ++y) {
    std::memcpy(&out.rgb[size_t(y) * r.width * 3],
                &img.rgb[(size_t(r.y + y) * img.width + r.x) * 3],
                size_t(r.width) * 3);
  }
  return out;
}

}  // namespace vigil::analysis
