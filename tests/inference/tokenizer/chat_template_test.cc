// SPDX-License-Identifier: Apache-2.0
// Exact prompt strings of the Gemma 4 E2B/E4B chat format (spec §5).
#include "inference/tokenizer/chat_template.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::tokenizer {
namespace {

std::string Render(const std::vector<ChatMessage>& messages,
                   ChatOptions options = {}) {
  Result<std::string> r = RenderChat(messages, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

TEST(ChatTemplateTest, SystemAndUser) {
  const std::vector<ChatMessage> chat = {
      ChatMessage::Text(ChatRole::kSystem, "You are a camera assistant. "),
      ChatMessage::Text(ChatRole::kUser, "\nWho is at the door?\n")};
  EXPECT_EQ(Render(chat),
            "<bos><|turn>system\nYou are a camera assistant.<turn|>\n"
            "<|turn>user\nWho is at the door?<turn|>\n<|turn>model\n");
}

TEST(ChatTemplateTest, UserOnlyHasNoSystemTurnAndMatchesRefPrompt) {
  // The `chat` prompt of shared/ref/text/*/prompts.json.
  const std::vector<ChatMessage> chat = {
      ChatMessage::Text(ChatRole::kUser, "Write a haiku about the sea.")};
  EXPECT_EQ(Render(chat, {.add_bos = false}),
            "<|turn>user\nWrite a haiku about the sea.<turn|>\n"
            "<|turn>model\n");
}

TEST(ChatTemplateTest, ThinkingOnCreatesSystemTurn) {
  const std::vector<ChatMessage> user_only = {
      ChatMessage::Text(ChatRole::kUser, "Hi")};
  EXPECT_EQ(Render(user_only, {.enable_thinking = true}),
            "<bos><|turn>system\n<|think|>\n<turn|>\n"
            "<|turn>user\nHi<turn|>\n<|turn>model\n");
  const std::vector<ChatMessage> with_system = {
      ChatMessage::Text(ChatRole::kSystem, "Be brief."),
      ChatMessage::Text(ChatRole::kUser, "Hi")};
  EXPECT_EQ(Render(with_system, {.enable_thinking = true}),
            "<bos><|turn>system\n<|think|>\nBe brief.<turn|>\n"
            "<|turn>user\nHi<turn|>\n<|turn>model\n");
}

TEST(ChatTemplateTest, ThinkingOffAddsNoEmptyThoughtBlock) {
  const std::string prompt = Render({ChatMessage::Text(ChatRole::kUser, "Hi")});
  EXPECT_EQ(prompt.find("<|channel>"), std::string::npos);
  EXPECT_EQ(prompt.find("<|think|>"), std::string::npos);
}

TEST(ChatTemplateTest, MediaPlaceholdersAtTheirPosition) {
  ChatMessage user{ChatRole::kUser,
                   {{PartKind::kImage, ""},
                    {PartKind::kText, " What moved here? "},
                    {PartKind::kAudio, ""},
                    {PartKind::kVideo, ""}}};
  EXPECT_EQ(Render({user}),
            "<bos><|turn>user\n<|image|>What moved here?<|audio|><|video|>"
            "<turn|>\n<|turn>model\n");
}

TEST(ChatTemplateTest, HistoryLosesThoughtsAndAssistantIsModel) {
  const std::vector<ChatMessage> chat = {
      ChatMessage::Text(ChatRole::kUser, "2+2?"),
      ChatMessage::Text(ChatRole::kModel,
                        "<|channel>thought\nadd them<channel|>4"),
      ChatMessage::Text(ChatRole::kUser, "and 3+3?")};
  EXPECT_EQ(Render(chat, {.add_generation_prompt = false}),
            "<bos><|turn>user\n2+2?<turn|>\n<|turn>model\n4<turn|>\n"
            "<|turn>user\nand 3+3?<turn|>\n");
  EXPECT_EQ(*ParseChatRole("assistant"), ChatRole::kModel);
  EXPECT_EQ(*ParseChatRole("developer"), ChatRole::kSystem);
}

TEST(ChatTemplateTest, StripThoughtsHandlesUnclosedAndMultipleBlocks) {
  EXPECT_EQ(StripThoughts("a<|channel>x<channel|>b<|channel>y<channel|> c "),
            "ab c");
  EXPECT_EQ(StripThoughts(" ok <|channel>never closed"), "ok");
}

TEST(ChatTemplateTest, RejectsBadRoleAndKind) {
  EXPECT_EQ(ParseChatRole("robot").status().code(),
            StatusCode::kInvalidArgument);
  ChatMessage bad_role = ChatMessage::Text(ChatRole::kSentinel, "x");
  EXPECT_FALSE(RenderChat(std::vector<ChatMessage>{bad_role}).ok());
  ChatMessage bad_kind{ChatRole::kUser, {{PartKind::kSentinel, ""}}};
  EXPECT_FALSE(RenderChat(std::vector<ChatMessage>{bad_kind}).ok());
}

}  // namespace
}  // namespace vigil::tokenizer
