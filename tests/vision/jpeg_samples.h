// SPDX-License-Identifier: Apache-2.0
// Real JPEGs for tests, encoded by OpenCV from a deterministic pattern.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <vector>

namespace vigil::testing {

// Returns a `w` x `h` JPEG whose content depends on `seed`.
inline std::vector<uint8_t> MakeJpeg(int w, int h, int seed = 0,
                                     bool gray = false,
                                     bool progressive = false) {
  cv::Mat img(h, w, gray ? CV_8UC1 : CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const uint8_t v = static_cast<uint8_t>((x * 7 + y * 3 + seed * 31) & 255);
      if (gray) {
        img.at<uint8_t>(y, x) = v;
      } else {
        img.at<cv::Vec3b>(y, x) = cv::Vec3b(v, static_cast<uint8_t>(x + seed),
                                            static_cast<uint8_t>(y * 2));
      }
    }
  }
  std::vector<uint8_t> out;
  cv::imencode(".jpg", img, out,
               {cv::IMWRITE_JPEG_QUALITY, 85, cv::IMWRITE_JPEG_PROGRESSIVE,
                progressive ? 1 : 0});
  return out;
}

// Returns the offset of the first `FF <marker>` in `jpeg`, or -1.
inline long FindMarker(const std::vector<uint8_t>& jpeg, uint8_t marker) {
  for (size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return static_cast<long>(i);
  }
  return -1;
}

}  // namespace vigil::testing
