// SPDX-License-Identifier: Apache-2.0
// `vigil serve` with a camera that has an audio source (a WAV file through
// the same libav path as an RTSP track): the clip lands beside the snapshot
// and the API serves it; `vigil check` rejects bad audio settings by line.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "capture/audio/wav.h"
#include "tests/app/api_client.h"
#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;
const std::map<std::string, std::string> kEnv = {
    {"VIGIL_TEST_TOKEN", "audio-test-token-0123456789abcdef"}};

class ServeAudioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("serve_audio");
    std::vector<float> tone(16000 * 3);
    for (size_t i = 0; i < tone.size(); ++i) {
      tone[i] = 0.3f * std::sin(2 * M_PI * 440 * double(i) / 16000);
    }
    ASSERT_TRUE(capture::audio::WriteWavFile((dir_ / "mic.wav").string(),
                                             tone, 16000, 1)
                    .ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path WriteConfig(const std::string& audio) {
    fs::path p = dir_ / "vigil.yaml";
    std::ofstream(p) << "storage:\n  data_dir: " << (dir_ / "data").string()
                     << "\n  utc_folders: true\n"
                        "web:\n  port: 0\n  api_tokens: "
                        "[\"${VIGIL_TEST_TOKEN}\"]\n"
                        "cameras:\n  doorbell:\n    kind: demo\n"
                        "    interval_s: 3600\n    audio:\n"
                     << audio;
    return p;
  }
  fs::path dir_;
};

TEST_F(ServeAudioTest, SnapshotGetsClipServedByTheApi) {
  fs::path cfg = WriteConfig("      source: rtsp\n      device: " +
                             (dir_ / "mic.wav").string() +
                             "\n      clip_s: 1.5\n");
  VigilProcess vigil({"serve", "--config", cfg.string()}, dir_, kEnv);
  auto port = vigil.WaitForLog(
      std::regex(R"(gallery on http://[0-9.]+:(\d+))"), std::chrono::seconds(60));
  ASSERT_TRUE(port) << vigil.Stderr();
  ApiClient api(std::stoi(*port));
  api.UseToken(kEnv.at("VIGIL_TEST_TOKEN"));
  nlohmann::json snap;
  for (int i = 0; i < 300 && snap.is_null(); ++i) {
    for (auto& s : api.AllSnapshots()) {
      if (s.value("audio", false)) snap = s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(snap.is_null()) << vigil.Stderr();
  EXPECT_EQ(snap["audio_ms"], 1500);
  auto clip = api.Get(snap["audio_url"].get<std::string>());
  ASSERT_TRUE(clip);
  EXPECT_EQ(clip->status, 200);
  EXPECT_EQ(clip->body.substr(0, 4), "RIFF");
  fs::path jpg = dir_ / "data" / snap["path"].get<std::string>();
  fs::path wav = jpg;
  wav.replace_extension(".wav");
  EXPECT_TRUE(fs::exists(jpg));
  EXPECT_TRUE(fs::exists(wav));
  ApiClient anonymous(std::stoi(*port));
  EXPECT_EQ(anonymous.Get(snap["audio_url"].get<std::string>())->status, 401);
}

TEST_F(ServeAudioTest, CheckRejectsBadAudioSettings) {
  RunResult r = RunVigil(
      {"check", "--config",
       WriteConfig("      source: alsa\n      clip_s: 0\n").string()},
      dir_, kEnv);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;  // config error
  EXPECT_NE((r.out + r.err).find("cameras.doorbell.audio.clip_s"),
            std::string::npos)
      << r.out << r.err;
  r = RunVigil({"check", "--config",
                WriteConfig("      source: pulse\n").string()},
               dir_, kEnv);
  EXPECT_NE((r.out + r.err).find("expected one of none, rtsp, alsa"),
            std::string::npos)
      << r.out << r.err;
  r = RunVigil({"check", "--config",
                WriteConfig("      source: alsa\n      clips: 3\n").string()},
               dir_, kEnv);
  EXPECT_NE((r.out + r.err).find("clips"), std::string::npos) << r.err;
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace vigil::testing
