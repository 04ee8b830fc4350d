// SPDX-License-Identifier: Apache-2.0
#include "tests/golden/golden.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace vigil::golden {

std::string RefPath(const std::string& relative) {
  return std::string(VIGIL_SHARED_DIR) + "/ref/" + relative;
}

Result<std::vector<float>> ReadF32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open '" + path + "'");
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  if (bytes.size() % sizeof(float) != 0) {
    return Corrupt("'" + path + "' has " + std::to_string(bytes.size()) +
                   " bytes, not a multiple of 4");
  }
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), bytes.size());  // LE host assumed
  return out;
}

Result<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open '" + path + "'");
  try {
    return nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    return Corrupt("'" + path + "': " + e.what());
  }
}

DiffStats Diff(std::span<const float> a, std::span<const float> b) {
  DiffStats s;
  if (a.size() != b.size() || a.empty()) {
    s.max_abs = INFINITY;
    s.rms = INFINITY;
    return s;
  }
  double sum_sq = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (!(d <= s.max_abs)) {  // also catches NaN
      s.max_abs = d;
      s.worst = i;
    }
    sum_sq += d * d;
  }
  s.rms = std::sqrt(sum_sq / static_cast<double>(a.size()));
  return s;
}

Top2 TopTwo(std::span<const float> row) {
  Top2 t;
  if (row.size() < 2) return t;
  size_t best = row[1] > row[0] ? 1 : 0, second = 1 - best;
  for (size_t i = 2; i < row.size(); ++i) {
    if (row[i] > row[best]) {
      second = best;
      best = i;
    } else if (row[i] > row[second]) {
      second = i;
    }
  }
  t.top1 = best;
  t.gap = static_cast<double>(row[best]) - row[second];
  return t;
}

}  // namespace vigil::golden
