// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the vision golden tests: the ref/vision cases, their
// reference.json, raw float files and diff statistics.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "vision/gemma_preprocess.h"

namespace vigil::mm::testing {

inline const std::string kRefDir = std::string(VIGIL_SHARED_DIR) + "/ref/vision";
inline const std::string kMmproj = kRefDir + "/mmproj-gemma4-e2b-tiny-F32.gguf";
inline const std::string kTextModel =
    std::string(VIGIL_SHARED_DIR) + "/ref/text/gemma4-e2b-tiny-F32.gguf";

struct Case {
  std::string image;   // "landscape_640x360"
  std::string budget;  // "default"
  std::string dir() const { return kRefDir + "/" + image + "/" + budget; }
  std::string name() const { return image + "_" + budget; }
};

inline std::vector<Case> AllCases() {
  std::vector<Case> out;
  for (const char* img : {"landscape_640x360", "portrait_300x500", "odd_97x211"}) {
    for (const char* b : {"default", "max48", "min140_max560"}) {
      out.push_back({img, b});
    }
  }
  return out;
}

inline std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<float> ReadFloats(const std::string& path) {
  std::vector<uint8_t> b = ReadBytes(path);
  std::vector<float> f(b.size() / 4);
  std::copy(b.begin(), b.begin() + f.size() * 4,
            reinterpret_cast<uint8_t*>(f.data()));
  return f;
}

inline nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Preprocesses the case's image with the token limits of its reference.
inline Result<vision::GemmaPatches> PreprocessCase(const Case& c,
                                                  vision::RgbImage* img) {
  nlohmann::json ref = ReadJson(c.dir() + "/reference.json");
  vision::GemmaPreprocessOptions opt;
  if (ref["image_min_tokens"].get<int>() > 0) {
    opt.limits.min_tokens = ref["image_min_tokens"].get<int>();
  }
  if (ref["image_max_tokens"].get<int>() > 0) {
    opt.limits.max_tokens = ref["image_max_tokens"].get<int>();
  }
  auto bytes = ReadBytes(kRefDir + "/" + c.image + ".png");
  return vision::PreprocessForGemma(bytes, opt, img);
}

struct Diff {
  double max_abs = 0.0, rms = 0.0;
};
inline Diff Compare(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  Diff d;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const double e = std::fabs(double(a[i]) - double(b[i]));
    d.max_abs = std::max(d.max_abs, std::isnan(e) ? 1e30 : e);
    d.rms += e * e;
  }
  d.rms = n ? std::sqrt(d.rms / n) : 0.0;
  return d;
}

}  // namespace vigil::mm::testing
