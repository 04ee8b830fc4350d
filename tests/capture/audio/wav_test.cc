// SPDX-License-Identifier: Apache-2.0
// WAV parsing of every supported sample format, a corruption table with the
// expected error codes, the atomic writer, downmix and the resampler.
#include "capture/audio/wav.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <numbers>

#include <gtest/gtest.h>

#include "capture/audio/resample.h"

namespace vigil::capture::audio {
namespace {

// A minimal WAV image with the given format fields and raw data bytes.
std::vector<uint8_t> MakeWav(uint16_t tag, uint16_t channels, uint32_t rate,
                             uint16_t bits, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> o;
  auto put = [&](uint32_t v, int n) {
    for (int i = 0; i < n; ++i) o.push_back(uint8_t(v >> (8 * i)));
  };
  auto tag4 = [&](const char* s) { o.insert(o.end(), s, s + 4); };
  tag4("RIFF"); put(36 + uint32_t(data.size()), 4); tag4("WAVE");
  tag4("fmt "); put(16, 4); put(tag, 2); put(channels, 2); put(rate, 4);
  put(rate * channels * bits / 8, 4); put(channels * bits / 8, 2); put(bits, 2);
  tag4("data"); put(uint32_t(data.size()), 4);
  o.insert(o.end(), data.begin(), data.end());
  return o;
}

TEST(Wav, DecodesEverySampleFormat) {
  // 8-bit unsigned: 0x80 = 0, 0xC0 = 0.5.
  auto p8 = ParseWav(MakeWav(1, 1, 8000, 8, {0x80, 0xC0}));
  ASSERT_TRUE(p8.ok());
  EXPECT_FLOAT_EQ(p8.value().samples[1], 0.5f);
  // 16-bit: -16384 = -0.5.
  auto p16 = ParseWav(MakeWav(1, 1, 16000, 16, {0x00, 0xC0}));
  EXPECT_FLOAT_EQ(p16.value().samples[0], -0.5f);
  // 24-bit: 0x400000 = 0.5.
  auto p24 = ParseWav(MakeWav(1, 1, 16000, 24, {0x00, 0x00, 0x40}));
  EXPECT_FLOAT_EQ(p24.value().samples[0], 0.5f);
  // 32-bit int: 0xC0000000 = -0.5.
  auto p32 = ParseWav(MakeWav(1, 1, 16000, 32, {0, 0, 0, 0xC0}));
  EXPECT_FLOAT_EQ(p32.value().samples[0], -0.5f);
  // float32 0.25 and a clipped 3.0 -> 1.0.
  std::vector<uint8_t> f(8);
  const float vals[2] = {0.25f, 3.0f};
  std::memcpy(f.data(), vals, 8);
  auto pf = ParseWav(MakeWav(3, 2, 48000, 32, f));
  ASSERT_TRUE(pf.ok());
  EXPECT_EQ(pf.value().channels, 2);
  EXPECT_EQ(pf.value().frames(), 1u);
  EXPECT_FLOAT_EQ(pf.value().samples[1], 1.0f);
}

TEST(Wav, ReadsTheReferenceSpeechExactly) {
  auto pcm = ReadWavFile(std::string(VIGIL_SHARED_DIR) + "/ref/audio/speech_16k.wav");
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm.value().sample_rate, 16000u);
  EXPECT_EQ(pcm.value().frames(), 55015u);
}

struct CorruptCase {
  const char* name;
  std::vector<uint8_t> bytes;
  StatusCode code;
};

TEST(Wav, CorruptionTable) {
  const std::vector<uint8_t> good = MakeWav(1, 1, 16000, 16, {1, 2, 3, 4});
  auto cut = [&](size_t n) { return std::vector<uint8_t>(good.begin(), good.begin() + n); };
  auto patch = [&](size_t off, uint8_t v) { auto b = good; b[off] = v; return b; };
  std::vector<CorruptCase> cases = {
      {"empty", {}, StatusCode::kCorrupt},
      {"not riff", patch(0, 'X'), StatusCode::kCorrupt},
      {"header only", cut(12), StatusCode::kCorrupt},
      {"truncated fmt", cut(30), StatusCode::kCorrupt},
      {"truncated data", cut(good.size() - 1), StatusCode::kCorrupt},
      {"mp3 tag", MakeWav(0x55, 1, 16000, 16, {0, 0}), StatusCode::kUnsupported},
      {"12-bit", MakeWav(1, 1, 16000, 12, {0, 0}), StatusCode::kUnsupported},
      {"zero channels", MakeWav(1, 0, 16000, 16, {}), StatusCode::kCorrupt},
      {"absurd rate", MakeWav(1, 1, 5, 16, {0, 0}), StatusCode::kCorrupt},
      {"half frame", MakeWav(1, 2, 16000, 16, {0, 0}), StatusCode::kCorrupt},
      {"huge chunk size", patch(40, 0xFF), StatusCode::kCorrupt},
  };
  for (const auto& c : cases) {
    auto r = ParseWav(c.bytes);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
  }
  EXPECT_EQ(ParseWav(good, {.max_bytes = 10, .max_channels = 2}).status().code(),
            StatusCode::kOutOfRange);
  // Zero frames is a valid, empty recording.
  auto empty = ParseWav(MakeWav(1, 1, 16000, 16, {}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value().frames(), 0u);
}

TEST(Wav, WriterRoundTripsAndLeavesNoTemporary) {
  const auto dir = std::filesystem::temp_directory_path() / "vigil_wav_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "clip.wav").string();
  std::vector<float> s = {0.0f, 0.5f, -0.5f, 1.5f, -1.0f};
  ASSERT_TRUE(WriteWavFile(path, s, 16000, 1).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto back = ReadWavFile(path);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back.value().samples.size(), s.size());
  EXPECT_NEAR(back.value().samples[1], 0.5f, 1e-4);
  EXPECT_NEAR(back.value().samples[3], 1.0f, 1e-4);  // clipped
  EXPECT_EQ(WriteWavFile((dir / "no/such/dir/x.wav").string(), s, 16000, 1).code(),
            StatusCode::kIo);
  EXPECT_EQ(ReadWavFile((dir / "missing.wav").string()).status().code(), StatusCode::kIo);
  std::filesystem::remove_all(dir);
}

std::vector<float> Tone(double hz, uint32_t rate, size_t n) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = float(0.5 * std::sin(2 * std::numbers::pi * hz * i / rate));
  return x;
}

// RMS over the middle of `x` (away from the edges).
double MidRms(const std::vector<float>& x) {
  double acc = 0;
  const size_t a = x.size() / 4, b = 3 * x.size() / 4;
  for (size_t i = a; i < b; ++i) acc += double(x[i]) * x[i];
  return std::sqrt(acc / double(b - a));
}

TEST(Resample, KeepsInBandTonesAndRemovesAliases) {
  auto y = Resample(Tone(1000, 44100, 44100), 44100, 16000);
  ASSERT_TRUE(y.ok());
  ASSERT_EQ(y.value().size(), 16000u);
  const std::vector<float> want = Tone(1000, 16000, 16000);
  double err = 0;
  for (size_t i = 2000; i < 14000; ++i) err = std::max(err, double(std::fabs(y.value()[i] - want[i])));
  EXPECT_LT(err, 2e-3);
  // 12 kHz is above the new Nyquist (8 kHz): must not alias to 4 kHz.
  auto alias = Resample(Tone(12000, 48000, 48000), 48000, 16000);
  EXPECT_LT(MidRms(alias.value()), 0.01);
  // Upsampling 8 kHz -> 16 kHz keeps a 1 kHz tone.
  auto up = Resample(Tone(1000, 8000, 8000), 8000, 16000);
  EXPECT_NEAR(MidRms(up.value()), 0.5 / std::sqrt(2.0), 5e-3);
  EXPECT_EQ(Resample(want, 0, 16000).status().code(), StatusCode::kInvalidArgument);
}

TEST(Resample, DownmixAverages) {
  const std::vector<float> st = {1.0f, 0.0f, -0.5f, 0.5f};
  EXPECT_EQ(DownmixToMono(st, 2), (std::vector<float>{0.5f, 0.0f}));
  PcmAudio a{.sample_rate = 16000, .channels = 2, .samples = st};
  EXPECT_EQ(ToMonoAt(a, 16000).value().size(), 2u);
}

}  // namespace
}  // namespace vigil::capture::audio
