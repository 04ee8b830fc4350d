// SPDX-License-Identifier: Apache-2.0
// Renders chats in the Gemma 4 E2B/E4B turn format (spec/gemma4-text.md §5):
// a C++ renderer for this one template, not a Jinja engine. Tools are not
// rendered (TODO(#3): tool declarations and responses, spec §5.4).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigil::tokenizer {

enum class ChatRole { kSystem, kUser, kModel, kSentinel };

// Returns the role for an API name: "system"/"developer", "user",
// "model"/"assistant"; kInvalidArgument naming the bad value otherwise.
Result<ChatRole> ParseChatRole(std::string_view name);

enum class PartKind { kText, kImage, kAudio, kVideo, kSentinel };

// One item of a message: text, or the position where a medium goes.
struct ContentPart {
  PartKind kind = PartKind::kText;
  std::string text;  // only for kText
};

struct ChatMessage {
  ChatRole role = ChatRole::kUser;
  std::vector<ContentPart> parts;

  // Returns a message made of one text part.
  static ChatMessage Text(ChatRole role, std::string text);
};

struct ChatOptions {
  // Puts `<|think|>` at the start of the system turn (creating that turn if
  // needed). Off by default: E-models get no empty thought block (spec §5.2).
  bool enable_thinking = false;
  // Ends with "<|turn>model\n" so the model answers next.
  bool add_generation_prompt = true;
  // Starts with the text "<bos>" (encode with parse_special; `Encode` then
  // adds no second BOS).
  bool add_bos = true;
};

// Returns the prompt text for `messages`. Text parts are trimmed; image/audio
// /video parts become `<|image|>`/`<|audio|>`/`<|video|>` at their position;
// earlier model turns lose their thought channels. Returns kInvalidArgument
// for an invalid role or part kind.
Result<std::string> RenderChat(std::span<const ChatMessage> messages,
                               const ChatOptions& options = {});

// Returns `text` with every `<|channel>...<channel|>` block removed (an
// unclosed block runs to the end), then trimmed.
std::string StripThoughts(std::string_view text);

// Returns `text` without leading/trailing whitespace (as Jinja's `trim`).
std::string_view TrimWhitespace(std::string_view text);

}  // namespace vigil::tokenizer
