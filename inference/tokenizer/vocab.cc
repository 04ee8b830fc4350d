// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/vocab.h"

#include <cstdio>
#include <limits>
#include <string>

namespace vigil::tokenizer {
namespace {

constexpr int32_t kMaxTokens = std::numeric_limits<int32_t>::max() - 1;

Status CheckSpecialId(const char* name, int32_t id, size_t n_tokens) {
  if (id < -1 || (id >= 0 && static_cast<size_t>(id) >= n_tokens)) {
    return Corrupt("tokenizer.ggml." + std::string(name) + " = " +
                   std::to_string(id) + " is outside the vocabulary (" +
                   std::to_string(n_tokens) + " tokens)");
  }
  return OkStatus();
}

}  // namespace

Result<Vocab> Vocab::Build(const VocabSource& source) {
  Vocab vocab;
  VIGIL_RETURN_IF_ERROR(vocab.IndexTokens(source));
  VIGIL_RETURN_IF_ERROR(vocab.IndexMerges(source.merges));
  VIGIL_RETURN_IF_ERROR(vocab.ResolveSpecials(source));
  return vocab;
}

std::string_view Vocab::Text(int32_t id) const {
  if (!Contains(id)) return {};
  return std::string_view(arena_.data() + offsets_[id],
                          offsets_[id + 1] - offsets_[id]);
}

TokenType Vocab::Type(int32_t id) const {
  return Contains(id) ? types_[id] : TokenType::kUndefined;
}

Status Vocab::IndexTokens(const VocabSource& source) {
  const size_t n = source.tokens.size();
  if (n == 0) return Corrupt("tokenizer.ggml.tokens is empty");
  if (n > static_cast<size_t>(kMaxTokens)) {
    return OutOfRange("tokenizer.ggml.tokens has " + std::to_string(n) +
                      " entries; at most 2^31-2 are supported");
  }
  if (!source.token_types.empty() && source.token_types.size() != n) {
    return Corrupt("tokenizer.ggml.token_type has " +
                   std::to_string(source.token_types.size()) +
                   " entries; expected one per token (" + std::to_string(n) +
                   ")");
  }
  size_t total = 0;
  for (std::string_view t : source.tokens) total += t.size();
  // Copy every text into one arena so the vocabulary outlives the file.
  arena_.resize(total);
  offsets_.resize(n + 1);
  types_.resize(n, TokenType::kNormal);
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    offsets_[i] = pos;
    std::string_view t = source.tokens[i];
    if (!t.empty()) t.copy(arena_.data() + pos, t.size());
    pos += t.size();
    if (source.token_types.empty()) continue;
    const int32_t type = source.token_types[i];
    if (!TokenTypeValid(type)) {
      return Corrupt("tokenizer.ggml.token_type[" + std::to_string(i) +
                     "] = " + std::to_string(type) + "; expected 0..6");
    }
    types_[i] = static_cast<TokenType>(type);
  }
  offsets_[n] = pos;
  index_.Reserve(n);
  for (size_t i = 0; i < n; ++i) {
    index_.Insert(Text(static_cast<int32_t>(i)), static_cast<int32_t>(i));
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    byte_tokens_[b] = index_.Find(name);
  }
  return OkStatus();
}

Status Vocab::IndexMerges(const std::vector<std::string_view>& merges) {
  if (merges.size() > static_cast<size_t>(kMaxTokens)) {
    return OutOfRange("tokenizer.ggml.merges has too many entries (" +
                      std::to_string(merges.size()) + ")");
  }
  merges_.Reserve(merges.size());
  std::string joined;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const std::string_view m = merges[rank];
    // spec §1.6: split at the first space at index >= 1.
    const size_t sep = m.size() > 1 ? m.find(' ', 1) : std::string_view::npos;
    auto fail = [&](const std::string& why) {
      return Corrupt("tokenizer.ggml.merges[" + std::to_string(rank) + "] '" +
                     std::string(m.substr(0, 64)) + "': " + why);
    };
    if (sep == std::string_view::npos) {
      return fail("expected '<left> <right>' separated by a space");
    }
    const std::string_view left = m.substr(0, sep), right = m.substr(sep + 1);
    const int32_t left_id = index_.Find(left);
    const int32_t right_id = index_.Find(right);
    joined.assign(left).append(right);
    const int32_t result_id = index_.Find(joined);
    if (left_id < 0 || right_id < 0 || result_id < 0) {
      return fail("left, right and merged pieces must all be tokens");
    }
    merges_.Insert(left_id, right_id,
                   Merge{static_cast<int32_t>(rank), result_id});
  }
  return OkStatus();
}

Status Vocab::ResolveSpecials(const VocabSource& source) {
  const size_t n = types_.size();
  VIGIL_RETURN_IF_ERROR(CheckSpecialId("bos_token_id", source.bos_id, n));
  VIGIL_RETURN_IF_ERROR(CheckSpecialId("eos_token_id", source.eos_id, n));
  VIGIL_RETURN_IF_ERROR(CheckSpecialId("unknown_token_id", source.unk_id, n));
  VIGIL_RETURN_IF_ERROR(CheckSpecialId("padding_token_id", source.pad_id, n));
  auto given_or_find = [&](int32_t given, std::string_view text) {
    return given >= 0 ? given : index_.Find(text);
  };
  SpecialTokens& s = special_;
  s.bos = given_or_find(source.bos_id, "<bos>");
  s.eos = given_or_find(source.eos_id, "<eos>");
  s.unk = given_or_find(source.unk_id, "<unk>");
  s.pad = given_or_find(source.pad_id, "<pad>");
  s.turn_start = index_.Find("<|turn>");
  s.turn_end = index_.Find("<turn|>");
  s.image_start = index_.Find("<|image>");
  s.image_end = index_.Find("<image|>");
  s.audio_start = index_.Find("<|audio>");
  s.audio_end = index_.Find("<audio|>");
  s.image_soft = index_.Find("<|image|>");
  s.audio_soft = index_.Find("<|audio|>");
  s.video_soft = index_.Find("<|video|>");
  s.think = index_.Find("<|think|>");
  s.channel_start = index_.Find("<|channel>");
  s.channel_end = index_.Find("<channel|>");
  s.tool_start = index_.Find("<|tool>");
  s.tool_end = index_.Find("<tool|>");
  s.tool_call_start = index_.Find("<|tool_call>");
  s.tool_call_end = index_.Find("<tool_call|>");
  s.tool_response_start = index_.Find("<|tool_response>");
  s.tool_response_end = index_.Find("<tool_response|>");
  s.string_delim = index_.Find("<|\"|>");
  return OkStatus();
}

}  // namespace vigil::tokenizer
