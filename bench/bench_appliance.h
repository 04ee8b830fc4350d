// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the issue-2 appliance benchmarks (bench_appliance*.cc).
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace vigil::bench {

struct Row {
  std::string what;
  std::string value;
  std::string note;
};

// Returns a valid JPEG of `w`x`h` whose content depends on `seed`.
std::vector<unsigned char> BenchJpeg(int w, int h, int seed);

// Returns the p-th percentile (0..100) of `ms` (sorted in place).
inline double Percentile(std::vector<double>& ms, double p) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  size_t i = std::min(ms.size() - 1, static_cast<size_t>(p / 100 * ms.size()));
  return ms[i];
}

inline double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t0)
      .count();
}

// Gallery API latency with `n` indexed snapshots (bench_appliance_api.cc).
std::vector<Row> BenchApi(const std::filesystem::path& dir, int n);

}  // namespace vigil::bench
