// SPDX-License-Identifier: Apache-2.0
// Motion gating on synthetic sequences: still scenes, sensor noise and
// lighting flicker give no motion; a person-sized change does, with its
// region; masks and background adaptation work.
#include "vision/motion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace vigil::vision {
namespace {

constexpr int32_t kW = 640, kH = 480;

// A textured yard: gradient sky, a few fixed blocks (house, fence).
RgbImage Scene() {
  RgbImage img{kW, kH, std::vector<uint8_t>(size_t(kW) * kH * 3)};
  std::mt19937 rng(1);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      const uint8_t v = uint8_t(60 + (y * 100) / kH + (x % 40 < 2 ? 30 : 0));
      uint8_t* p = &img.rgb[(size_t(y) * kW + x) * 3];
      p[0] = v;
      p[1] = uint8_t(v + 10);
      p[2] = uint8_t(v - 20);
    }
  }
  return img;
}

void FillRect(RgbImage* img, int x0, int y0, int w, int h, uint8_t v) {
  for (int y = y0; y < y0 + h; ++y) {
    for (int x = x0; x < x0 + w; ++x) {
      uint8_t* p = &img->rgb[(size_t(y) * img->width + x) * 3];
      p[0] = p[1] = p[2] = v;
    }
  }
}

// Sensor noise (Gaussian, sigma grey levels) plus a global brightness shift.
RgbImage Jitter(const RgbImage& src, float sigma, int shift, uint32_t seed) {
  RgbImage img = src;
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, sigma);
  for (uint8_t& v : img.rgb) {
    v = uint8_t(std::clamp(float(v) + float(shift) + noise(rng), 0.f, 255.f));
  }
  return img;
}

bool Overlaps(const Rect& a, const Rect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
         b.y < a.y + a.height;
}

MotionResult Feed(MotionDetector& d, const RgbImage& img) {
  auto r = d.Update(img);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : MotionResult{};
}

TEST(Motion, FirstFrameInitialisesOnly) {
  MotionDetector d({});
  const MotionResult r = Feed(d, Scene());
  EXPECT_TRUE(r.first_frame);
  EXPECT_FALSE(r.motion);
}

TEST(Motion, StillSceneWithNoiseIsQuiet) {
  MotionDetector d({});
  const RgbImage base = Scene();
  Feed(d, base);
  for (uint32_t i = 0; i < 20; ++i) {
    const MotionResult r = Feed(d, Jitter(base, 4.f, 0, i));
    EXPECT_FALSE(r.motion) << "frame " << i << " score " << r.score;
  }
}

TEST(Motion, LightingFlickerIsQuiet) {
  MotionDetector d({});
  const RgbImage base = Scene();
  Feed(d, base);
  const int shifts[] = {25, -20, 30, -30, 15, 0, 35};
  for (size_t i = 0; i < std::size(shifts); ++i) {
    const MotionResult r = Feed(d, Jitter(base, 3.f, shifts[i], 100 + i));
    EXPECT_FALSE(r.motion) << "shift " << shifts[i] << " score " << r.score;
  }
}

TEST(Motion, SmallChangeBelowMinAreaIsQuiet) {
  MotionDetector d({});
  const RgbImage base = Scene();
  Feed(d, base);
  RgbImage leaf = Jitter(base, 3.f, 0, 7);
  FillRect(&leaf, 300, 100, 6, 6, 250);  // a leaf, a moth
  EXPECT_FALSE(Feed(d, leaf).motion);
}

TEST(Motion, PersonSizedChangeGivesMotionAndRegion) {
  MotionDetector d({});
  const RgbImage base = Scene();
  Feed(d, base);
  Feed(d, Jitter(base, 3.f, 0, 1));
  RgbImage person = Jitter(base, 3.f, 10, 2);
  const Rect where{420, 220, 50, 150};
  FillRect(&person, where.x, where.y, where.width, where.height, 20);
  const MotionResult r = Feed(d, person);
  ASSERT_TRUE(r.motion);
  ASSERT_FALSE(r.regions.empty());
  EXPECT_TRUE(Overlaps(r.regions[0], where));
  // The box hugs the person (dilation adds a few pixels).
  EXPECT_NEAR(r.bounds.x, where.x, 16);
  EXPECT_NEAR(r.bounds.y, where.y, 16);
  EXPECT_NEAR(r.bounds.width, where.width, 32);
  EXPECT_NEAR(r.bounds.height, where.height, 32);
  EXPECT_GT(r.score, 0.01f);
  EXPECT_LT(r.score, 0.1f);
}

TEST(Motion, MaskedAreaIsIgnored) {
  MotionOptions o;
  o.masks = {{{0.6f, 0.4f}, {0.8f, 0.4f}, {0.8f, 0.9f}, {0.6f, 0.9f}}};
  ASSERT_TRUE(Validate(o).ok());
  MotionDetector d(o);
  const RgbImage base = Scene();
  Feed(d, base);
  RgbImage person = Jitter(base, 3.f, 0, 2);
  FillRect(&person, 420, 220, 50, 150, 20);  // inside the mask
  EXPECT_FALSE(Feed(d, person).motion);
  FillRect(&person, 100, 220, 50, 150, 20);  // outside
  EXPECT_TRUE(Feed(d, person).motion);
}

TEST(Motion, ParkedObjectBecomesBackground) {
  MotionDetector d({});
  const RgbImage base = Scene();
  Feed(d, base);
  RgbImage car = base;
  FillRect(&car, 100, 300, 200, 100, 230);
  EXPECT_TRUE(Feed(d, car).motion);
  bool quiet = false;
  for (uint32_t i = 0; i < 30 && !quiet; ++i) {
    quiet = !Feed(d, Jitter(car, 2.f, 0, i)).motion;
  }
  EXPECT_TRUE(quiet) << "the parked car never became background";
}

TEST(Motion, SensitivityChangesTheThreshold) {
  const RgbImage base = Scene();
  RgbImage faint = base;
  FillRect(&faint, 200, 200, 60, 120, 0);
  // A low-contrast subject: background grey +-25 levels.
  for (int y = 200; y < 320; ++y) {
    for (int x = 200; x < 260; ++x) {
      const size_t i = (size_t(y) * kW + x) * 3;
      for (int c = 0; c < 3; ++c) faint.rgb[i + c] = uint8_t(base.rgb[i + c] + 25);
    }
  }
  MotionOptions low;
  low.sensitivity = 0.0f;
  MotionOptions high;
  high.sensitivity = 1.0f;
  MotionDetector a(low), b(high);
  Feed(a, base);
  Feed(b, base);
  EXPECT_FALSE(Feed(a, faint).motion);
  EXPECT_TRUE(Feed(b, faint).motion);
}

TEST(Motion, ResolutionChangeRestarts) {
  MotionDetector d({});
  Feed(d, Scene());
  RgbImage other{320, 240, std::vector<uint8_t>(320 * 240 * 3, 128)};
  EXPECT_TRUE(Feed(d, other).first_frame);
}

TEST(Motion, BadInputAndOptions) {
  MotionDetector d({});
  RgbImage broken{10, 10, std::vector<uint8_t>(5)};
  EXPECT_EQ(d.Update(broken).status().code(), StatusCode::kInvalidArgument);
  MotionOptions o;
  o.sensitivity = 2;
  EXPECT_FALSE(Validate(o).ok());
  o = {};
  o.min_area = 0;
  EXPECT_FALSE(Validate(o).ok());
  o = {};
  o.masks = {{{0, 0}, {1, 1}}};
  EXPECT_NE(Validate(o).message().find("masks[0]"), std::string::npos);
  o.masks = {{{0, 0}, {1.5f, 1}, {0, 1}}};
  EXPECT_FALSE(Validate(o).ok());
}

}  // namespace
}  // namespace vigil::vision
