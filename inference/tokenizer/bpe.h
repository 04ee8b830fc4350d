// SPDX-License-Identifier: Apache-2.0
// Gemma 4 BPE on one pre-tokenized run (spec/gemma4-text.md §4.2 steps d-e):
// rank-ordered merges over code points, then byte fallback.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "inference/tokenizer/vocab.h"

namespace vigil::tokenizer {

// Appends the ids of `run` to `out`. `run` is already escaped (spaces are
// `▁`) and split at newline runs. Starts from one symbol per UTF-8 code point
// (an invalid byte is a symbol of its own), repeatedly joins the adjacent pair
// with the lowest merge rank (ties: leftmost), and maps each final symbol to
// its id or, if it is no token, to `<0xXX>` pieces for each byte (`<unk>` if a
// byte piece is missing). O(n log n) in the length of `run`.
void BpeEncodeRun(const Vocab& vocab, std::string_view run,
                  std::vector<int32_t>* out);

// Returns the length of the UTF-8 sequence starting at `text[pos]`, or 1 for
// an invalid or truncated sequence.
size_t Utf8SequenceLength(std::string_view text, size_t pos);

}  // namespace vigil::tokenizer
