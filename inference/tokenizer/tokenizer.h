// SPDX-License-Identifier: Apache-2.0
// Gemma 4 tokenizer (spec/gemma4-text.md §4): text <-> token ids with the
// vocabulary of a GGUF file. Not a general HF tokenizer: one model type.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/tokenizer/vocab.h"

namespace vigil::gguf {
class GgufFile;
}  // namespace vigil::gguf

namespace vigil::tokenizer {

struct EncodeOptions {
  // Prepends `<bos>` unless the text already starts with it (spec §4.2 step
  // 4: Gemma 4 always wants exactly one BOS; a chat template emits it).
  bool add_bos = true;
  // Matches CONTROL pieces (`<|turn>`, `<bos>`, ...) in the text. USER_DEFINED
  // pieces (`<|channel>`, `<|tool_call>`, ...) are matched either way.
  bool parse_special = false;
};

struct DecodeOptions {
  // Renders CONTROL/UNKNOWN/UNUSED pieces literally (debugging); hidden
  // otherwise, as in user-visible text (spec §4.4).
  bool render_special = false;
};

// Immutable after construction; move-only. Thread-safe for concurrent use.
class Tokenizer {
 public:
  // Reads `tokenizer.ggml.*` (spec §1.6) from `file`. Returns kUnsupported if
  // `tokenizer.ggml.model` is not "gemma4" and kCorrupt/kNotFound for missing
  // or inconsistent keys. Copies what it needs; `file` may close afterwards.
  static Result<Tokenizer> FromGguf(const gguf::GgufFile& file);
  // Builds from already-extracted arrays (tests, tools).
  static Result<Tokenizer> FromSource(const VocabSource& source);

  // Returns the ids of `text` (UTF-8; invalid bytes become byte pieces).
  std::vector<int32_t> Encode(std::string_view text,
                              EncodeOptions options = {}) const;
  // Returns the text of `ids`: `▁` -> space, byte pieces reassembled into raw
  // bytes, USER_DEFINED literal, CONTROL hidden unless asked. Ids outside the
  // vocabulary render as "".
  std::string Decode(std::span<const int32_t> ids,
                     DecodeOptions options = {}) const;
  // Appends the text of one token to `out` (see `Decode`).
  void AppendPiece(int32_t id, DecodeOptions options, std::string* out) const;
  std::string TokenToPiece(int32_t id, DecodeOptions options = {}) const;

  // Returns true for `<eos>`, `<turn|>` and `<|tool_response>` (spec §4.3).
  bool IsEndOfGeneration(int32_t id) const;
  // Every id in the vocabulary for which `IsEndOfGeneration` holds,
  // ascending: the stop ids of a generation.
  std::vector<int32_t> EndOfGenerationIds() const;
  // Returns the id of the special token spelled `text` (`<|image|>`, ...);
  // kUnsupported when the vocabulary has no such single token.
  Result<int32_t> SpecialTokenId(std::string_view text) const;
  const SpecialTokens& special() const { return vocab_.special(); }
  const Vocab& vocab() const { return vocab_; }
  int32_t size() const { return vocab_.size(); }

 private:
  explicit Tokenizer(Vocab vocab);
  void EncodeText(std::string_view text, std::vector<int32_t>* out) const;

  Vocab vocab_;
  // CONTROL/UNKNOWN/USER_DEFINED ids, longest text first, for the split.
  std::vector<int32_t> split_tokens_;
};

}  // namespace vigil::tokenizer
