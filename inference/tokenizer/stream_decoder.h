// SPDX-License-Identifier: Apache-2.0
// Incremental detokenization for streaming output (spec/gemma4-text.md §4.4):
// byte-fallback pieces are held back until they form whole UTF-8 characters,
// so a callback never sees half an emoji.
#pragma once

#include <cstdint>
#include <string>

#include "inference/tokenizer/tokenizer.h"

namespace vigil::tokenizer {

// Thread-compatible; one per generation. Keeps a reference to `tokenizer`,
// which must outlive it.
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer& tokenizer, DecodeOptions options = {})
      : tokenizer_(tokenizer), options_(options) {}

  // Returns the text that `id` completes: everything decoded so far except a
  // trailing incomplete UTF-8 sequence, which stays buffered.
  std::string Push(int32_t id);
  // Returns whatever is still buffered (an incomplete sequence at the end of
  // generation is emitted as is) and empties the buffer.
  std::string Finish();

 private:
  const Tokenizer& tokenizer_;
  DecodeOptions options_;
  std::string pending_;
};

// Returns how many bytes at the end of `text` start a UTF-8 sequence that is
// still missing continuation bytes (0 if `text` ends on a whole character or
// on bytes that can never complete).
size_t IncompleteUtf8Tail(std::string_view text);

}  // namespace vigil::tokenizer
