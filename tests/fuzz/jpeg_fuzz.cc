// SPDX-License-Identifier: Apache-2.0
// Fuzz target for JPEG validation (vision/decode.h): the marker walk and the
// strict libjpeg decode must return a Status for any input, never crash, and
// agree with each other.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/check.h"
#include "vision/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  vigil::vision::JpegLimits limits;
  limits.max_width = 2048;  // keep each run fast: pixels bound the decode
  limits.max_height = 2048;
  auto header = vigil::vision::ReadJpegHeader(in, limits);
  auto full = vigil::vision::ValidateJpeg(in, limits);
  if (full.ok()) {
    // Full validation never accepts what the header walk rejects.
    VIGIL_CHECK(header.ok());
    VIGIL_CHECK(full->width == header->width);
    VIGIL_CHECK(full->height == header->height);
    VIGIL_CHECK(full->width > 0 && full->height > 0);
  }
  return 0;
}
