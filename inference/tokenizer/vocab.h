// SPDX-License-Identifier: Apache-2.0
// The token table of a Gemma 4 tokenizer: piece texts, token types, BPE merges
// and the ids of the special pieces (spec/gemma4-text.md §1.6, §4.3). Built
// from borrowed views (a GGUF mmap, a JSON file) and owns a copy of the texts.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/tokenizer/piece_index.h"

namespace vigil::tokenizer {

// `tokenizer.ggml.token_type` values; never renumber.
enum class TokenType : int32_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
  kSentinel = 7,
};
inline bool TokenTypeValid(int32_t t) {
  return t >= 0 && t < static_cast<int32_t>(TokenType::kSentinel);
}

// Borrowed input for `Vocab::Build`; the views only need to live during it.
struct VocabSource {
  std::vector<std::string_view> tokens;  // index = id
  std::vector<int32_t> token_types;      // empty = all NORMAL
  std::vector<std::string_view> merges;  // "left right", index = rank
  int32_t bos_id = -1;                   // -1 = not given: looked up as "<bos>"
  int32_t eos_id = -1;                   // "<eos>"
  int32_t unk_id = -1;                   // "<unk>"
  int32_t pad_id = -1;                   // "<pad>"
};

// Ids of the pieces the engine and the chat template need; -1 when the
// vocabulary lacks the piece. Looked up by text (spec §4.3), never hard-coded.
struct SpecialTokens {
  int32_t bos = -1, eos = -1, unk = -1, pad = -1;
  int32_t turn_start = -1, turn_end = -1;        // <|turn>  <turn|>
  int32_t image_start = -1, image_end = -1;      // <|image> <image|>
  int32_t audio_start = -1, audio_end = -1;      // <|audio> <audio|>
  int32_t image_soft = -1, audio_soft = -1;      // <|image|> <|audio|>
  int32_t video_soft = -1;                       // <|video|>
  int32_t think = -1;                            // <|think|>
  int32_t channel_start = -1, channel_end = -1;  // <|channel> <channel|>
  int32_t tool_start = -1, tool_end = -1;        // <|tool> <tool|>
  int32_t tool_call_start = -1, tool_call_end = -1;
  int32_t tool_response_start = -1, tool_response_end = -1;
  int32_t string_delim = -1;  // <|"|>
};

// Immutable after `Build`. Move-only (the index points into its own arena).
// Thread-safe for concurrent reads.
class Vocab {
 public:
  // Checks and indexes `source`: every type in range, special ids inside the
  // table, each merge "<left> <right>" naming two pieces whose concatenation
  // is a piece. Returns kCorrupt naming the first offending entry.
  static Result<Vocab> Build(const VocabSource& source);

  Vocab(Vocab&&) = default;
  Vocab& operator=(Vocab&&) = default;
  Vocab(const Vocab&) = delete;
  Vocab& operator=(const Vocab&) = delete;

  int32_t size() const { return static_cast<int32_t>(types_.size()); }
  bool Contains(int32_t id) const { return id >= 0 && id < size(); }
  // Returns the stored text of `id` (with `▁` for spaces); "" if out of range.
  std::string_view Text(int32_t id) const;
  // Returns the type of `id`; kUndefined if out of range.
  TokenType Type(int32_t id) const;
  // Returns the id whose text is exactly `piece`, or -1.
  int32_t Find(std::string_view piece) const { return index_.Find(piece); }
  // Returns the merge joining `left` and `right` (rank -1 if none).
  Merge FindMerge(int32_t left, int32_t right) const {
    return merges_.Find(left, right);
  }
  size_t merge_count() const { return merges_.size(); }
  // Returns the id of piece `<0xXX>` for `byte`, or -1.
  int32_t ByteToken(uint8_t byte) const { return byte_tokens_[byte]; }
  const SpecialTokens& special() const { return special_; }

 private:
  Vocab() = default;
  Status IndexTokens(const VocabSource& source);
  Status IndexMerges(const std::vector<std::string_view>& merges);
  Status ResolveSpecials(const VocabSource& source);

  std::vector<char> arena_;        // all texts back to back
  std::vector<uint64_t> offsets_;  // size() + 1 entries into `arena_`
  std::vector<TokenType> types_;
  PieceIndex index_;
  MergeIndex merges_;
  int32_t byte_tokens_[256];
  SpecialTokens special_;
};

}  // namespace vigil::tokenizer
