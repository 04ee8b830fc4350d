// SPDX-License-Identifier: Apache-2.0
// The libav path that also reads RTSP camera audio, fed with files made here:
// a 44.1 kHz stereo WAV and the same audio muxed into Matroska/FLAC by
// libav's own encoder (tests/capture/audio/mux_helper.cc) decode to the
// expected 16 kHz mono signal; bad sources give clear errors; ALSA capture
// is tried and skipped with the reason when no device exists.
#include "capture/audio/libav_audio.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include <gtest/gtest.h>

#include "capture/audio/clip_source.h"
#include "capture/audio/resample.h"
#include "tests/capture/audio/mux_helper.h"

namespace vigil::capture::audio {
namespace {

class LibavAudio : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_libav_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // 2 s stereo at 44.1 kHz: 440 Hz left, 880 Hz right.
    const size_t n = 2 * 44100;
    stereo_.resize(2 * n);
    for (size_t i = 0; i < n; ++i) {
      stereo_[2 * i] = float(0.4 * std::sin(2 * std::numbers::pi * 440 * i / 44100.0));
      stereo_[2 * i + 1] = float(0.4 * std::sin(2 * std::numbers::pi * 880 * i / 44100.0));
    }
    wav_ = (dir_ / "cam.wav").string();
    ASSERT_TRUE(WriteWavFile(wav_, stereo_, 44100, 2).ok());
    auto expect = ToMonoAt({.sample_rate = 44100, .channels = 2, .samples = stereo_}, 16000);
    expected_ = std::move(expect).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Max difference over the middle at the best lag within +-8 samples:
  // libswresample and our resampler differ by a filter delay of a sample or
  // two, and at the edges.
  double MidDiff(const std::vector<float>& a) const {
    double best = 1e9;
    const long n = long(std::min(a.size(), expected_.size()));
    for (long lag = -8; lag <= 8; ++lag) {
      double e = 0;
      for (long i = 1000; i + 1000 < n; ++i) {
        e = std::max(e, double(std::fabs(a[size_t(i + lag)] - expected_[size_t(i)])));
      }
      best = std::min(best, e);
    }
    return best;
  }

  std::filesystem::path dir_;
  std::vector<float> stereo_, expected_;
  std::string wav_;
};

TEST_F(LibavAudio, DecodesWavTrackTo16kMono) {
  auto pcm = DecodeAudioTrack(wav_);
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm.value().sample_rate, 16000u);
  EXPECT_EQ(pcm.value().channels, 1);
  EXPECT_NEAR(double(pcm.value().samples.size()), 32000.0, 64.0);
  EXPECT_LT(MidDiff(pcm.value().samples), 0.02);
}

TEST_F(LibavAudio, DecodesFlacInMatroskaAndHonoursMaxSeconds) {
  const std::string mka = (dir_ / "cam.mka").string();
  Status st = testing::MuxFlac(stereo_, 44100, 2, mka);
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto pcm = DecodeAudioTrack(mka);
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_LT(MidDiff(pcm.value().samples), 0.02);
  auto cut = DecodeAudioTrack(mka, {.sample_rate = 16000, .max_seconds = 0.5});
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut.value().samples.size(), 8000u);
  auto src = MakeStreamAudioSource(mka);
  EXPECT_EQ(src->Capture(1.0).value().samples.size(), 16000u);
}

TEST_F(LibavAudio, BadSourcesGiveClearErrors) {
  EXPECT_EQ(DecodeAudioTrack((dir_ / "missing.wav").string()).status().code(),
            StatusCode::kIo);
  const std::string junk = (dir_ / "junk.bin").string();
  std::ofstream(junk) << "this is not a media file at all, just text";
  EXPECT_FALSE(DecodeAudioTrack(junk).ok());
  const std::string empty = (dir_ / "empty.wav").string();
  std::ofstream(empty).close();
  EXPECT_FALSE(DecodeAudioTrack(empty).ok());
  // Nothing listens on this loopback port: an RTSP camera that is down.
  auto rtsp = DecodeAudioTrack("rtsp://127.0.0.1:1/stream",
                               {.sample_rate = 16000, .max_seconds = 1, .timeout_s = 3});
  EXPECT_FALSE(rtsp.ok());
  EXPECT_EQ(DecodeAudioTrack(wav_, {.sample_rate = 5}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(AlsaCapture, RecordsFromDefaultDeviceIfThereIsOne) {
  auto src = MakeAlsaSource("default");
  if (!src.ok()) GTEST_SKIP() << src.status().ToString();
  auto pcm = src.value()->Capture(0.2);
  if (!pcm.ok()) {
    GTEST_SKIP() << "no ALSA capture device here (containers lack snd-aloop): "
                 << pcm.status().ToString();
  }
  EXPECT_EQ(pcm.value().sample_rate, 16000u);
  EXPECT_EQ(pcm.value().samples.size(), 3200u);
}

}  // namespace
}  // namespace vigil::capture::audio
