// SPDX-License-Identifier: Apache-2.0
// Local JPEG checks and encoding for sources (capture/ must not depend on
// vision/). Internal to capture/.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "capture/source.h"
#include "common/status.h"

namespace cv {
class Mat;
}

namespace vigil::capture {

// Largest frame we accept (pixels), so a hostile header cannot make the
// decoder allocate gigabytes.
inline constexpr int64_t kMaxPixels = 100'000'000;

struct JpegDims {
  int width = 0;
  int height = 0;
};

// Reads the frame size from the SOF marker, bounds-checking every segment.
// Returns kCorrupt ("no SOI marker", "segment at offset N runs past the end")
// or kOutOfRange (more than `kMaxPixels`).
Result<JpegDims> ReadJpegDims(std::span<const uint8_t> bytes);

// Checks that `bytes` is a complete, decodable JPEG (SOI magic, SOF, EOI
// marker after trimming trailing padding, and an actual decode) and wraps it.
// `origin` names where it came from for the error message.
Result<CapturedImage> CheckJpeg(std::vector<uint8_t> bytes,
                                std::chrono::system_clock::time_point when,
                                const std::string& origin);

// Encodes a BGR (or gray) frame; returns kInternal if OpenCV fails.
Result<CapturedImage> EncodeFrame(const cv::Mat& frame, int quality,
                                  std::chrono::system_clock::time_point when);

// Returns a short printable preview of the start of a body ("<html><he...")
// for error messages about non-JPEG answers.
std::string PreviewBytes(std::span<const uint8_t> bytes, size_t max_chars = 40);

}  // namespace vigil::capture
