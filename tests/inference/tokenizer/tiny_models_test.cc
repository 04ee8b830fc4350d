// SPDX-License-Identifier: Apache-2.0
// The tiny reference models carry their own 768-piece tokenizer; our encoding
// of their prompts must give the ids llama.cpp used (ref/text/*/prompts.json).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inference/gguf/reader.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::tokenizer {
namespace {

struct ModelCase {
  const char* gguf;
  const char* prompts;
};

class TinyModelTokenizerTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(TinyModelTokenizerTest, PromptsEncodeToReferenceIds) {
  const std::string ref = std::string(VIGIL_SHARED_DIR) + "/ref/text/";
  Result<gguf::GgufFile> file = gguf::GgufFile::Open(ref + GetParam().gguf);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  Result<Tokenizer> tok = Tokenizer::FromGguf(*file);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ(tok->size(), 768);
  EXPECT_EQ(tok->special().turn_start, 16);
  EXPECT_EQ(tok->special().turn_end, 17);

  std::ifstream in(ref + GetParam().prompts);
  const nlohmann::json prompts = nlohmann::json::parse(in);
  ASSERT_EQ(prompts.size(), 4u);
  for (const nlohmann::json& p : prompts) {
    const std::string text = p.at("text").get<std::string>();
    const std::vector<int32_t> expected =
        p.at("ids").get<std::vector<int32_t>>();
    const std::vector<int32_t> ids =
        tok->Encode(text, {.add_bos = true, .parse_special = true});
    EXPECT_EQ(ids, expected) << p.at("name");
    EXPECT_EQ(tok->Decode(ids, {.render_special = true}), "<bos>" + text);
  }
}

TEST_P(TinyModelTokenizerTest, ChatTemplateReproducesChatPrompt) {
  const std::string ref = std::string(VIGIL_SHARED_DIR) + "/ref/text/";
  Result<gguf::GgufFile> file = gguf::GgufFile::Open(ref + GetParam().gguf);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  Result<Tokenizer> tok = Tokenizer::FromGguf(*file);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  std::ifstream in(ref + GetParam().prompts);
  const nlohmann::json prompts = nlohmann::json::parse(in);
  const nlohmann::json& chat = prompts.at(3);
  ASSERT_EQ(chat.at("name"), "chat");
  Result<std::string> rendered = RenderChat(std::vector<ChatMessage>{
      ChatMessage::Text(ChatRole::kUser, "Write a haiku about the sea.")});
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(tok->Encode(*rendered, {.parse_special = true}),
            chat.at("ids").get<std::vector<int32_t>>());
}

INSTANTIATE_TEST_SUITE_P(
    RefModels, TinyModelTokenizerTest,
    ::testing::Values(
        ModelCase{"gemma4-e2b-tiny-F32.gguf", "gemma4-e2b-tiny/prompts.json"},
        ModelCase{"gemma4-e4b-tiny-F32.gguf", "gemma4-e4b-tiny/prompts.json"},
        ModelCase{"gemma4-e2b-tiny-Q4_K_M.gguf",
                  "gemma4-e2b-tiny/prompts.json"}));

}  // namespace
}  // namespace vigil::tokenizer
