// SPDX-License-Identifier: Apache-2.0
// Helpers shared by golden tests: paths into shared/ref, raw float32 `.bin`
// files, JSON descriptors and difference statistics (shared/ref/README.md).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace vigil::golden {

// Returns `<shared>/ref/<relative>` (the shared reference folder).
std::string RefPath(const std::string& relative);

// Reads a headerless little-endian float32 array. Corrupt if the size is not
// a multiple of 4; NotFound if the file cannot be opened.
Result<std::vector<float>> ReadF32(const std::string& path);

// Parses a JSON file (exceptions converted to Corrupt).
Result<nlohmann::json> ReadJson(const std::string& path);

struct DiffStats {
  double max_abs = 0.0;  // max |a - b|
  double rms = 0.0;      // sqrt(mean((a - b)^2))
  size_t worst = 0;      // index of max_abs
};

// Compares two equally sized arrays.
DiffStats Diff(std::span<const float> a, std::span<const float> b);

// Returns the index of the largest value and the gap to the second largest.
struct Top2 {
  size_t top1 = 0;
  double gap = 0.0;
};
Top2 TopTwo(std::span<const float> row);

}  // namespace vigil::golden
