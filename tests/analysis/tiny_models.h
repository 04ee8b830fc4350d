// SPDX-License-Identifier: Apache-2.0
// The tiny random Gemma 4 E2B (text + mmproj) from shared/ref, loaded once
// per test binary, and synthetic camera frames.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <memory>
#include <string>
#include <vector>

#include "inference/engine.h"

namespace vigil::testing {

inline const std::string kTinyText =
    std::string(VIGIL_SHARED_DIR) + "/ref/text/gemma4-e2b-tiny-F32.gguf";
inline const std::string kTinyMmproj =
    std::string(VIGIL_SHARED_DIR) + "/ref/vision/mmproj-gemma4-e2b-tiny-F32.gguf";

inline inference::Engine& TinyEngine() {
  static inference::Engine* engine = [] {
    auto e = inference::Engine::Load(
        {.text_model = kTinyText, .mmproj = kTinyMmproj, .threads = 2,
         .n_ctx = 2048});
    if (!e.ok()) {
      ADD_FAILURE() << e.status().ToString();
      std::abort();
    }
    return e->release();
  }();
  return *engine;
}

// A textured yard, optionally with a dark person-sized block at (x, y).
inline cv::Mat YardFrame(int w, int h, int person_x = -1, int person_y = 0,
                         int noise_seed = 0) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int v = 60 + (y * 100) / h + (x % 40 < 2 ? 30 : 0);
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(uint8_t(v - 20), uint8_t(v + 10),
                                          uint8_t(v));
    }
  }
  if (noise_seed > 0) {
    cv::Mat noise(h, w, CV_8UC3);
    cv::theRNG().state = uint64_t(noise_seed);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(3));
    img += noise;
  }
  if (person_x >= 0) {
    cv::rectangle(img, cv::Rect(person_x, person_y, w / 12, h / 3),
                  cv::Scalar(20, 20, 20), cv::FILLED);
  }
  return img;
}

inline std::vector<uint8_t> Jpeg(const cv::Mat& bgr) {
  std::vector<uint8_t> out;
  cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, 92});
  return out;
}

inline vision::RgbImage Rgb(const cv::Mat& bgr) {
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  vision::RgbImage out{rgb.cols, rgb.rows,
                       std::vector<uint8_t>(rgb.data,
                                            rgb.data + rgb.total() * 3)};
  return out;
}

}  // namespace vigil::testing
