// SPDX-License-Identifier: Apache-2.0
// Gemma 4 image preprocessing (spec/gemma4-vision-audio.md §3): decode, pick
// the soft-token grid for a budget, letterbox-resize, and cut into the
// vision encoder's 16x16 patches. Pure functions on buffers, no file I/O.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace vigil::vision {

struct ImageSize {
  int32_t width = 0;
  int32_t height = 0;
};

// 8-bit RGB, row-major, channel fastest (R, G, B).
struct RgbImage {
  int32_t width = 0;
  int32_t height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
};

// The per-camera soft-token budgets Gemma 4 was trained with (spec §3.1).
inline constexpr int32_t kGemmaBudgets[] = {70, 140, 280, 560, 1120};
// Returns true when `budget` is one of `kGemmaBudgets`.
bool IsGemmaBudget(int32_t budget);

// Soft-token limits of llama.cpp's "dyn_size" preprocessor (spec §3.2):
// defaults 40 / 280, what `--image-min-tokens/--image-max-tokens` override.
struct GemmaTokenLimits {
  int32_t min_tokens = 40;
  int32_t max_tokens = 280;
};
// Returns the limits for a camera budget: max = budget, min = min(40, budget).
GemmaTokenLimits LimitsForBudget(int32_t budget);

// Returns the resized size llama.cpp picks (spec §3.2, float arithmetic as
// there): sides are multiples of `align` (patch 16 x pool 3 = 48), rounded to
// nearest, then shrunk above `max_tokens` or grown below `min_tokens` (the
// grow branch may exceed the maximum, as in llama.cpp). One deviation: when
// a side is pinned at `align` and the other would still blow the budget
// (aspect beyond ~1:280) the long side is cut to fit, where llama.cpp would
// encode far more tokens than asked. InvalidArgument for empty sizes or
// limits outside [1, 16384] / min > max.
Result<ImageSize> GemmaTargetSize(ImageSize in, const GemmaTokenLimits& limits,
                                  int32_t align = 48);

// Returns the size HF's Gemma4ImageProcessor picks for `budget` (spec §3.1:
// fill the budget, floor to multiples of `align`). Reference mode only.
Result<ImageSize> GemmaReferenceSize(ImageSize in, int32_t budget,
                                     int32_t align = 48);

// Returns `src` letterboxed into `box` as llama.cpp does (spec §3.2): scale
// min(w'/w, h'/h), content ceil-sized, align-corners bilinear with truncation
// to uint8, pasted centred on black. Same size: a copy.
RgbImage LetterboxResize(const RgbImage& src, ImageSize box);

// Limits checked on the header, before any pixel is decoded.
struct DecodeLimits {
  int32_t max_side = 16384;
  uint64_t max_pixels = 64ull << 20;   // 64 Mpx: 192 MiB of RGB at most
  uint64_t max_bytes = 100ull << 20;   // encoded size
};

// Decodes a JPEG or PNG to RGB through OpenCV, honouring the JPEG EXIF
// orientation (the returned size is after rotation). Grey and 16-bit images
// become 8-bit RGB; alpha is dropped. Returns kInvalidArgument for an empty
// buffer, kUnsupported for other formats, kCorrupt for a bad or truncated
// file, kOutOfRange when the header's size exceeds `limits` (no decode).
Result<RgbImage> DecodeImage(std::span<const uint8_t> bytes,
                             const DecodeLimits& limits = {});

// The encoder input: patches of `patch`^2 pixels in row-major grid order,
// each as (channel, row, column) floats pixel/255 (spec §2.3, §3.3).
struct GemmaPatches {
  ImageSize size;         // preprocessed image size (multiples of 48)
  int32_t grid_w = 0;     // patches per row
  int32_t grid_h = 0;     // patch rows
  int32_t n_tokens = 0;   // (grid_w / pool) * (grid_h / pool)
  std::vector<float> data;  // grid_w * grid_h * 3 * patch * patch
};

// Cuts `img` (sides multiples of `patch * pool`) into patches. Checks sizes.
Result<GemmaPatches> Patchify(const RgbImage& img, int32_t patch = 16,
                              int32_t pool = 3);

struct GemmaPreprocessOptions {
  GemmaTokenLimits limits;
  DecodeLimits decode;
};

// Decode + `GemmaTargetSize` + `LetterboxResize` + `Patchify`. If `resized`
// is not nullptr it receives the uint8 image given to the encoder.
Result<GemmaPatches> PreprocessForGemma(std::span<const uint8_t> encoded,
                                        const GemmaPreprocessOptions& options,
                                        RgbImage* resized = nullptr);

}  // namespace vigil::vision
