// SPDX-License-Identifier: Apache-2.0
// The FFT against a direct DFT, the mel filterbank's known values, frame and
// token counts (spec §6.2, §11) and log-mel features against llama.cpp's
// (ref/audio: 5e-3 absolute, 1e-4 where the value is > -2).
#include "inference/audio/mel.h"

#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "inference/audio/fft.h"
#include "tests/inference/audio/audio_golden.h"

namespace vigil::audio {
namespace {

TEST(Fft, MatchesDirectDft) {
  std::mt19937 rng(7);
  std::normal_distribution<double> g;
  for (size_t n : {2u, 8u, 64u, 512u}) {
    auto fft = Fft::Create(n);
    ASSERT_TRUE(fft.ok());
    std::vector<std::complex<double>> x(n), y;
    for (auto& v : x) v = {g(rng), g(rng)};
    y = x;
    fft.value().Forward(y.data());
    for (size_t k = 0; k < n; ++k) {
      std::complex<double> s = 0;
      for (size_t j = 0; j < n; ++j) {
        s += x[j] * std::polar(1.0, -2.0 * std::numbers::pi * double(k * j) /
                                        double(n));
      }
      EXPECT_LT(std::abs(s - y[k]), 1e-9 * double(n)) << "n " << n << " k " << k;
    }
  }
  EXPECT_FALSE(Fft::Create(0).ok());
  EXPECT_FALSE(Fft::Create(384).ok());
}

TEST(Fft, PureToneLandsInItsBin) {
  auto fft = Fft::Create(512).value();
  std::vector<double> x(512);
  for (size_t i = 0; i < 512; ++i) x[i] = std::cos(2 * std::numbers::pi * 20 * i / 512.0);
  std::vector<std::complex<double>> work;
  std::vector<double> mag(257);
  fft.RealMagnitude(x.data(), &work, mag.data());
  EXPECT_NEAR(mag[20], 256.0, 1e-9);
  EXPECT_NEAR(mag[21], 0.0, 1e-9);
}

TEST(Mel, FilterbankEdgesAndEmptyFirstFilter) {
  const std::vector<double> fb = MelFilterbank();
  ASSERT_EQ(fb.size(), 128u * 257u);
  for (size_t k = 0; k < 257; ++k) EXPECT_EQ(fb[k], 0.0);  // filter 0 empty
  double total = 0;
  for (double v : fb) total += v;
  EXPECT_GT(total, 100.0);
}

TEST(Mel, FrameAndTokenCounts) {
  EXPECT_EQ(CountMelFrames(16000), 99u);
  EXPECT_EQ(CountAudioTokens(99), 25u);
  EXPECT_EQ(CountMelFrames(480000), 2999u);
  EXPECT_EQ(CountAudioTokens(2999), 750u);
  EXPECT_EQ(CountAudioTokens(CountMelFrames(8000)), 13u);
  EXPECT_EQ(CountMelFrames(0), 0u);
  EXPECT_EQ(CountMelFrames(100), 1u);  // llama.cpp's truncating division
  EXPECT_EQ(CountMelFrames(55015), 343u);
  EXPECT_EQ(CountClipTokens(480000 + 16000), 750u + 25u);
  EXPECT_EQ(SplitIntoChunks(std::vector<float>(480001)).size(), 2u);
}

TEST(Mel, SilenceIsTheFloorAndBadInputIsRejected) {
  auto mel = ComputeLogMel(std::vector<float>(16000, 0.0f));
  ASSERT_TRUE(mel.ok());
  for (float v : mel.value().data) EXPECT_FLOAT_EQ(v, std::log(0.001f));
  std::vector<float> nan(400, 0.0f);
  nan[17] = std::nanf("");
  EXPECT_EQ(ComputeLogMel(nan).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ComputeLogMel(std::vector<float>(kChunkSamples + 1)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ComputeLogMel({}).value().n_frames, 0u);
}

class MelGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(MelGolden, MatchesLlamaCpp) {
  const std::string dir = testing::kRefDir + "/" + GetParam();
  const std::vector<float> pcm = testing::ReadFloats(dir + "/pcm_f32.bin");
  const std::vector<float> ref = testing::ReadFloats(dir + "/mel.bin");
  auto mel = ComputeLogMel(pcm);
  ASSERT_TRUE(mel.ok()) << mel.status().ToString();
  const size_t f = mel.value().n_frames;
  ASSERT_EQ(f * kMelBins, ref.size());
  double max_all = 0, max_loud = 0;
  for (size_t m = 0; m < kMelBins; ++m) {
    for (size_t t = 0; t < f; ++t) {
      const float want = ref[m * f + t];  // ref is mel-bin major
      const double e = std::fabs(mel.value().data[t * kMelBins + m] - want);
      max_all = std::max(max_all, e);
      if (want > -2.0f) max_loud = std::max(max_loud, e);
    }
  }
  EXPECT_LT(max_all, 5e-3);
  EXPECT_LT(max_loud, 1e-4);
  std::printf("%s: %zu frames, max diff %.2e (%.2e where > -2)\n",
              GetParam().c_str(), f, max_all, max_loud);
}

INSTANTIATE_TEST_SUITE_P(Ref, MelGolden,
                         ::testing::ValuesIn(testing::AllCases()));

}  // namespace
}  // namespace vigil::audio
