// SPDX-License-Identifier: Apache-2.0
// `vigil describe` as a user runs it, on llama.cpp's tiny reference models
// (shared/ref/vision/README.md, shared/ref/audio/README.md): the printed
// token counts, the soft tokens, the last prompt logits and the greedy ids
// against llama.cpp's exact-GELU dumps; audio alone and with an image; bad
// WAV files; flag errors exit 2 with the usage.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRef = fs::path(VIGIL_SHARED_DIR) / "ref";
const fs::path kTextModel = kRef / "text" / "gemma4-e2b-tiny-F32.gguf";
const fs::path kMmproj = kRef / "vision" / "mmproj-gemma4-e2b-tiny-F32.gguf";
const fs::path kImage = kRef / "vision" / "landscape_640x360.png";
const fs::path kCase = kRef / "vision" / "landscape_640x360" / "default";
const fs::path kSpeech = kRef / "audio" / "speech_16k.wav";
// The engine golden tests hold image embeddings and logits (float32
// precision) and audio soft tokens (our mel vs llama.cpp's float32 FFT) to
// 1e-3 against the exact-GELU build.
constexpr float kTolerance = 1e-3f;
constexpr size_t kSpeechTokens = 86;  // README: 55015 samples -> 86 tokens
constexpr size_t kTextEmbd = 256;

std::vector<float> Floats(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

class DescribeCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("describe"); }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult Describe(std::vector<std::string> extra) {
    std::vector<std::string> args = {"describe", "--model", kTextModel.string(),
                                     "--mmproj", kMmproj.string(),
                                     "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunVigil(args, dir_);
  }
  RunResult DescribeAudio(std::vector<std::string> extra) {
    extra.insert(extra.end(), {"--prompt", "What do you hear?",
                               "--max-tokens", "3"});
    return Describe(extra);
  }
  fs::path dir_;
};

// llama.cpp's default budget (40..280 tokens) is our --budget 280; the
// default prompt is the reference's "Describe this image." turn.
TEST_F(DescribeCliTest, ImageMatchesLlamaCpp) {
  std::ifstream ref_file(kCase / "reference.json");
  const auto ref = nlohmann::json::parse(ref_file);
  const auto want_ids = ref["greedy_ids_exactgelu"].get<std::vector<int>>();
  RunResult r = Describe({"--image", kImage.string(), "--budget", "280",
                          "--precision", "float32", "--greedy",
                          "--max-tokens", "4",
                          "--embeddings-out", (dir_ / "emb.bin").string(),
                          "--logits-out", (dir_ / "logits.bin").string(),
                          "--ids-out", (dir_ / "ids.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("image: 624x384 -> 104 tokens"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("prefill: 128 tokens"), std::string::npos) << r.err;

  const auto emb = Floats(dir_ / "emb.bin");
  const auto want_emb = Floats(kCase / "embeddings_exactgelu.bin");
  ASSERT_EQ(emb.size(), want_emb.size());
  EXPECT_LT(MaxAbsDiff(emb, want_emb), kTolerance);
  const auto logits = Floats(dir_ / "logits.bin");
  const auto want_logits = Floats(kCase / "logits_last_exactgelu.bin");
  ASSERT_EQ(logits.size(), want_logits.size());
  EXPECT_LT(MaxAbsDiff(logits, want_logits), kTolerance);

  std::ifstream ids_file(dir_ / "ids.txt");
  std::vector<int> ids;
  for (int id; ids_file >> id;) ids.push_back(id);
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids, std::vector<int>(want_ids.begin(), want_ids.begin() + 4));
  EXPECT_FALSE(r.out.empty()) << "no answer printed";
}

TEST_F(DescribeCliTest, FlagErrorsPrintUsageAndWriteNothing) {
  RunResult r = Describe({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--image or --audio"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("usage: vigil describe"), std::string::npos) << r.err;

  r = Describe({"--image", kImage.string(), "--budget", "100"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--budget must be one of"), std::string::npos) << r.err;

  r = Describe({"--audio", "clip.wav", "--causal"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--causal"), std::string::npos) << r.err;

  r = Describe({"--image", kImage.string(), "--precision", "fp8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--precision"), std::string::npos) << r.err;

  // A run error (unreadable image) exits 1 and leaves no dump behind.
  r = Describe({"--image", (dir_ / "missing.png").string(), "--ids-out",
                (dir_ / "ids.txt").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.png"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "ids.txt"));

  r = Describe({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--image-min-tokens"), std::string::npos);
}

TEST_F(DescribeCliTest, AudioAlonePrintsTokensAndMatchesLlamaCpp) {
  const fs::path emb = dir_ / "emb.bin";
  RunResult r = DescribeAudio({"--audio", kSpeech.string(), "--embeddings-out",
                               emb.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  const std::regex line(R"(audio: ([0-9.]+) s -> ([0-9]+) tokens)");
  ASSERT_TRUE(std::regex_search(r.err, m, line)) << r.err;
  EXPECT_NEAR(std::stod(m[1]), 55015.0 / 16000.0, 0.01);
  EXPECT_EQ(std::stoul(m[2]), kSpeechTokens);

  const std::vector<float> got = Floats(emb);
  const std::vector<float> want =
      Floats(kRef / "audio" / "speech" / "embeddings_exactgelu.bin");
  ASSERT_EQ(want.size(), kSpeechTokens * kTextEmbd);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(std::isfinite(got[i])) << "element " << i;
  }
  EXPECT_LT(MaxAbsDiff(got, want), kTolerance);
  EXPECT_FALSE(r.out.empty()) << "no answer printed";
}

TEST_F(DescribeCliTest, AudioWithImage) {
  const fs::path emb = dir_ / "emb.bin";
  RunResult r = DescribeAudio({"--audio", kSpeech.string(), "--image",
                               kImage.string(), "--embeddings-out",
                               emb.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("audio: 3.44 s -> 86 tokens"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("image: 624x384 -> 104 tokens"), std::string::npos)
      << r.err;
  // The dump holds the audio soft tokens whatever else is in the prompt.
  EXPECT_EQ(fs::file_size(emb), kSpeechTokens * kTextEmbd * sizeof(float));
  EXPECT_FALSE(r.out.empty()) << "no answer printed";
}

TEST_F(DescribeCliTest, BadWavFilesFailCleanly) {
  const fs::path empty = dir_ / "empty.wav";
  std::ofstream(empty).close();
  RunResult r = DescribeAudio({"--audio", empty.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("empty.wav"), std::string::npos) << r.err;

  // The first 1000 bytes of a real WAV: the data chunk claims more.
  std::ifstream in(kSpeech, std::ios::binary);
  std::vector<char> head(1000);
  in.read(head.data(), head.size());
  const fs::path cut = dir_ / "truncated.wav";
  std::ofstream(cut, std::ios::binary).write(head.data(), head.size());
  r = DescribeAudio({"--audio", cut.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("truncated.wav"), std::string::npos) << r.err;

  r = DescribeAudio({"--audio", (dir_ / "missing.wav").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

}  // namespace
}  // namespace vigil::testing
