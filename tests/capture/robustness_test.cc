// SPDX-License-Identifier: Apache-2.0
// Seeded random corruption of JPEGs and MJPEG bodies: the parsers must return
// a value or an error, never crash or read out of bounds (run under ASan by
// the sanitizer CI job). Deterministic, so failures replay.
#include <gtest/gtest.h>

#include <random>

#include "capture/jpeg_check.h"
#include "capture/mjpeg_parser.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

std::vector<uint8_t> Mutate(std::vector<uint8_t> b, std::mt19937& rng) {
  std::uniform_int_distribution<int> kind(0, 3);
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !b.empty(); ++e) {
    size_t at = rng() % b.size();
    switch (kind(rng)) {
      case 0:
        b[at] = static_cast<uint8_t>(rng());
        break;
      case 1:
        b.resize(at);  // truncate
        break;
      case 2:
        b.insert(b.begin() + at, 0xFF);  // spurious marker byte
        break;
      default:
        b[at] = 0xFF;
        if (at + 1 < b.size()) b[at + 1] = static_cast<uint8_t>(0xC0 + rng() % 32);
    }
  }
  return b;
}

TEST(RobustnessTest, MutatedJpegsNeverCrash) {
  std::mt19937 rng(1234);
  auto good = testing::MakeJpeg(48, 32, 1);
  int ok = 0;
  for (int i = 0; i < 1500; ++i) {
    auto r = CheckJpeg(Mutate(good, rng), {}, "fuzz");
    if (r.ok()) {
      ++ok;
      EXPECT_GT(r->width, 0);
      EXPECT_GT(r->height, 0);
    } else {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  EXPECT_LT(ok, 1500);  // mutations must be caught some of the time
}

TEST(RobustnessTest, MutatedMultipartNeverReadsOutOfBounds) {
  std::mt19937 rng(99);
  auto jpeg = testing::MakeJpeg(16, 16, 2);
  std::string head = "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " +
                     std::to_string(jpeg.size()) + "\r\n\r\n";
  std::vector<uint8_t> body(head.begin(), head.end());
  body.insert(body.end(), jpeg.begin(), jpeg.end());
  std::string tail = "\r\n--frame\r\n";
  body.insert(body.end(), tail.begin(), tail.end());
  for (int i = 0; i < 3000; ++i) {
    auto mutated = Mutate(body, rng);
    auto part = FindFirstPart(mutated, "frame");
    if (part) {
      EXPECT_LE(part->begin, part->end);
      EXPECT_LE(part->end, mutated.size());
    }
  }
}

}  // namespace
}  // namespace vigil::capture
