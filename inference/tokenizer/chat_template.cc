// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/chat_template.h"

namespace vigil::tokenizer {
namespace {

constexpr std::string_view kBos = "<bos>";
constexpr std::string_view kTurnStart = "<|turn>";
constexpr std::string_view kTurnEnd = "<turn|>";
constexpr std::string_view kThink = "<|think|>";
constexpr std::string_view kChannelStart = "<|channel>";
constexpr std::string_view kChannelEnd = "<channel|>";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

const char* RoleName(ChatRole role) {
  switch (role) {
    case ChatRole::kSystem:
      return "system";
    case ChatRole::kUser:
      return "user";
    default:
      return "model";
  }
}

// Appends the content of `message` (without turn markers) to `out`.
Status AppendContent(const ChatMessage& message, std::string* out) {
  for (const ContentPart& part : message.parts) {
    switch (part.kind) {
      case PartKind::kText:
        if (message.role == ChatRole::kModel) {
          out->append(StripThoughts(part.text));
        } else {
          out->append(TrimWhitespace(part.text));
        }
        break;
      case PartKind::kImage:
        out->append("<|image|>");
        break;
      case PartKind::kAudio:
        out->append("<|audio|>");
        break;
      case PartKind::kVideo:
        out->append("<|video|>");
        break;
      default:
        return InvalidArgument("chat message part has invalid kind " +
                               std::to_string(static_cast<int>(part.kind)));
    }
  }
  return OkStatus();
}

void OpenTurn(ChatRole role, std::string* out) {
  out->append(kTurnStart).append(RoleName(role)).push_back('\n');
}

void CloseTurn(std::string* out) { out->append(kTurnEnd).push_back('\n'); }

}  // namespace

Result<ChatRole> ParseChatRole(std::string_view name) {
  if (name == "system" || name == "developer") return ChatRole::kSystem;
  if (name == "user") return ChatRole::kUser;
  if (name == "model" || name == "assistant") return ChatRole::kModel;
  return InvalidArgument("chat role '" + std::string(name) +
                         "' is unknown; expected system, developer, user, "
                         "assistant or model");
}

ChatMessage ChatMessage::Text(ChatRole role, std::string text) {
  return ChatMessage{role, {ContentPart{PartKind::kText, std::move(text)}}};
}

std::string_view TrimWhitespace(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

std::string StripThoughts(std::string_view text) {
  std::string kept;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find(kChannelStart, pos);
    if (open == std::string_view::npos) break;
    kept.append(text.substr(pos, open - pos));
    const size_t close = text.find(kChannelEnd, open + kChannelStart.size());
    pos = close == std::string_view::npos ? text.size()
                                          : close + kChannelEnd.size();
  }
  if (pos < text.size()) kept.append(text.substr(pos));
  return std::string(TrimWhitespace(kept));
}

Result<std::string> RenderChat(std::span<const ChatMessage> messages,
                               const ChatOptions& options) {
  std::string out;
  if (options.add_bos) out.append(kBos);
  size_t first = 0;
  const bool has_system =
      !messages.empty() && messages[0].role == ChatRole::kSystem;
  // spec §5.1/§5.2: a system turn exists if there is a system message or
  // thinking is on; `<|think|>` leads it.
  if (has_system || options.enable_thinking) {
    OpenTurn(ChatRole::kSystem, &out);
    if (options.enable_thinking) out.append(kThink).push_back('\n');
    if (has_system) {
      VIGIL_RETURN_IF_ERROR(AppendContent(messages[0], &out));
      first = 1;
    }
    CloseTurn(&out);
  }
  for (size_t i = first; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role < ChatRole::kSystem || m.role >= ChatRole::kSentinel) {
      return InvalidArgument("chat message " + std::to_string(i) +
                             " has an invalid role");
    }
    OpenTurn(m.role, &out);
    VIGIL_RETURN_IF_ERROR(AppendContent(m, &out));
    CloseTurn(&out);
  }
  if (options.add_generation_prompt) OpenTurn(ChatRole::kModel, &out);
  return out;
}

}  // namespace vigil::tokenizer
