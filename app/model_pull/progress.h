// SPDX-License-Identifier: Apache-2.0
// A one-line download progress bar for terminals ("\r" redraws).
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace vigil::model_pull {

// Returns "1.5 GB" / "820.0 MB" / "12.0 kB" (decimal units, like the hub).
std::string HumanBytes(int64_t bytes);

// Thread-compatible. Redraws at most ~10 times per second.
class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::string label);
  // Draws `done` of `total` bytes (`total` < 0: unknown).
  void Update(int64_t done, int64_t total);
  // Ends the line.
  void Finish();

 private:
  std::ostream& out_;
  std::string label_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int64_t first_done_ = -1;
  bool drawn_ = false;
};

}  // namespace vigil::model_pull
