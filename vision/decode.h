// SPDX-License-Identifier: Apache-2.0
// JPEG validation: a bounds-checked marker walk (dimensions before any pixel
// is decoded) plus a full OpenCV decode. Pure functions on buffers, no I/O.
#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"

namespace vigil::vision {

// Upper bounds applied before decoding so a hostile header cannot make us
// allocate gigabytes (a 16384 x 16384 RGB image is already 768 MiB).
struct JpegLimits {
  int32_t max_width = 16384;
  int32_t max_height = 16384;
  uint64_t max_bytes = 100ull << 20;  // encoded size
};

struct JpegInfo {
  int32_t width = 0;
  int32_t height = 0;
  int32_t components = 0;  // 1 = grayscale, 3 = YCbCr, 4 = CMYK
  bool progressive = false;
};

// Reads the frame header (SOF) by walking the markers from SOI, and checks
// that the entropy-coded data ends in an EOI marker (a truncated upload is
// the most common camera failure and libjpeg only warns about it). Does not
// decode pixels. Returns kCorrupt naming the byte offset and what was
// expected, kOutOfRange when `limits` are exceeded, kUnsupported for
// JPEGs libjpeg cannot decode (arithmetic coding, lossless, DNL height).
Result<JpegInfo> ReadJpegHeader(std::span<const uint8_t> data,
                                const JpegLimits& limits = {});

// Runs `ReadJpegHeader`, then decodes every pixel with OpenCV and checks the
// decoded size matches the header. Returns the header info on success and
// kCorrupt when the decoder rejects the data.
Result<JpegInfo> ValidateJpeg(std::span<const uint8_t> data,
                              const JpegLimits& limits = {});

}  // namespace vigil::vision
