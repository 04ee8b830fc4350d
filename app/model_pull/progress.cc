// SPDX-License-Identifier: Apache-2.0
#include "app/model_pull/progress.h"

#include <cstdio>
#include <ostream>

namespace vigil::model_pull {

std::string HumanBytes(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1000 && unit < 4) {
    v /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), unit == 0 ? "%.0f %s" : "%.1f %s", v,
                kUnits[unit]);
  return buf;
}

ProgressBar::ProgressBar(std::ostream& out, std::string label)
    : out_(out),
      label_(std::move(label)),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(int64_t done, int64_t total) {
  auto now = std::chrono::steady_clock::now();
  if (first_done_ < 0) first_done_ = done;  // resumed bytes are not speed
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) &&
      done != total) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? static_cast<double>(done - first_done_) / secs : 0;
  constexpr int kWidth = 30;
  std::string bar;
  if (total > 0) {
    int filled = static_cast<int>(kWidth * done / total);
    bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') +
          "] " + std::to_string(done * 100 / total) + "% ";
  }
  out_ << "\r" << label_ << " " << bar << HumanBytes(done)
       << (total > 0 ? " / " + HumanBytes(total) : std::string()) << "  "
       << HumanBytes(static_cast<int64_t>(rate)) << "/s   " << std::flush;
}

void ProgressBar::Finish() {
  if (drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace vigil::model_pull
