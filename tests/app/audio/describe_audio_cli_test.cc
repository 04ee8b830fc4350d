// SPDX-License-Identifier: Apache-2.0
// `vigil describe --audio` as a user runs it, on llama.cpp's tiny reference
// models: the printed token count, the soft tokens against llama.cpp's dump
// (shared/ref/audio/README.md), audio + image together, and bad WAV files.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRef = fs::path(VIGIL_SHARED_DIR) / "ref";
const fs::path kTextModel = kRef / "text" / "gemma4-e2b-tiny-F32.gguf";
const fs::path kMmproj = kRef / "vision" / "mmproj-gemma4-e2b-tiny-F32.gguf";
const fs::path kSpeech = kRef / "audio" / "speech_16k.wav";
// Our own mel vs llama.cpp's float32 FFT: the engine golden tests hold the
// soft tokens to 1e-3 absolute (README "Tolerances").
constexpr float kEmbeddingTolerance = 1e-3f;
constexpr size_t kSpeechTokens = 86;  // README: 55015 samples -> 86 tokens
constexpr size_t kTextEmbd = 256;

std::vector<float> ReadFloats(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

class DescribeAudioCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("describe_audio"); }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult Describe(std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "describe", "--model", kTextModel.string(), "--mmproj",
        kMmproj.string(), "--prompt", "What do you hear?", "--max-tokens",
        "3", "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunVigil(args, dir_);
  }
  fs::path dir_;
};

TEST_F(DescribeAudioCliTest, AudioAlonePrintsTokensAndMatchesLlamaCpp) {
  const fs::path emb = dir_ / "emb.bin";
  RunResult r = Describe({"--audio", kSpeech.string(), "--embeddings-out",
                          emb.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  const std::regex line(R"(audio: ([0-9.]+) s -> ([0-9]+) tokens)");
  ASSERT_TRUE(std::regex_search(r.err, m, line)) << r.err;
  EXPECT_NEAR(std::stod(m[1]), 55015.0 / 16000.0, 0.01);
  EXPECT_EQ(std::stoul(m[2]), kSpeechTokens);

  const std::vector<float> got = ReadFloats(emb);
  const std::vector<float> want =
      ReadFloats(kRef / "audio" / "speech" / "embeddings_exactgelu.bin");
  ASSERT_EQ(want.size(), kSpeechTokens * kTextEmbd);
  ASSERT_EQ(got.size(), want.size());
  float max_diff = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(std::isfinite(got[i])) << "element " << i;
    max_diff = std::max(max_diff, std::fabs(got[i] - want[i]));
  }
  EXPECT_LT(max_diff, kEmbeddingTolerance);
  EXPECT_FALSE(r.out.empty()) << "no answer printed";
}

TEST_F(DescribeAudioCliTest, AudioWithImage) {
  const fs::path emb = dir_ / "emb.bin";
  const fs::path image = kRef / "vision" / "landscape_640x360.png";
  RunResult r = Describe({"--audio", kSpeech.string(), "--image",
                          image.string(), "--embeddings-out", emb.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("audio: 3.44 s -> 86 tokens"), std::string::npos)
      << r.err;
  // The dump holds the audio soft tokens whatever else is in the prompt.
  EXPECT_EQ(fs::file_size(emb), kSpeechTokens * kTextEmbd * sizeof(float));
  EXPECT_FALSE(r.out.empty()) << "no answer printed";
}

TEST_F(DescribeAudioCliTest, BadWavFilesFailCleanly) {
  const fs::path empty = dir_ / "empty.wav";
  std::ofstream(empty).close();
  RunResult r = Describe({"--audio", empty.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("empty.wav"), std::string::npos) << r.err;

  // The first 1000 bytes of a real WAV: the data chunk claims more.
  std::ifstream in(kSpeech, std::ios::binary);
  std::vector<char> head(1000);
  in.read(head.data(), head.size());
  const fs::path cut = dir_ / "truncated.wav";
  std::ofstream(cut, std::ios::binary).write(head.data(), head.size());
  r = Describe({"--audio", cut.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("truncated.wav"), std::string::npos) << r.err;

  r = Describe({"--audio", (dir_ / "missing.wav").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

}  // namespace
}  // namespace vigil::testing
