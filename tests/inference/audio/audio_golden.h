// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the audio golden tests: the ref/audio cases, their
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

namespace vigil::audio::testing {

inline const std::string kRefDir = std::string(VIGIL_SHARED_DIR) + "/ref/audio";
inline const std::string kMmproj =
    std::string(VIGIL_SHARED_DIR) + "/ref/vision/mmproj-gemma4-e2b-tiny-F32.gguf";
inline const std::string kTextModel =
    std::string(VIGIL_SHARED_DIR) + "/ref/text/gemma4-e2b-tiny-F32.gguf";

inline std::vector<std::string> AllCases() { return {"speech", "tone"}; }

inline std::vector<float> ReadFloats(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<char> b{std::istreambuf_iterator<char>(in),
                      std::istreambuf_iterator<char>()};
  std::vector<float> f(b.size() / 4);
  std::copy(b.begin(), b.begin() + f.size() * 4,
            reinterpret_cast<char*>(f.data()));
  return f;
}

inline nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

struct Diff {
  double max_abs = 0.0, rms = 0.0;
  size_t worst = 0;
};
inline Diff Compare(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  Diff d;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    double e = std::fabs(double(a[i]) - double(b[i]));
    if (std::isnan(e)) e = 1e30;
    if (e > d.max_abs) d.max_abs = e, d.worst = i;
    d.rms += e * e;
  }
  d.rms = n ? std::sqrt(d.rms / n) : 0.0;
  return d;
}

}  // namespace vigil::audio::testing
