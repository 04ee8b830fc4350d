// SPDX-License-Identifier: Apache-2.0
// Step 1 of Gemma 4 encoding (spec/gemma4-text.md §4.2): cut the text at
// exact occurrences of special pieces before any BPE.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "inference/tokenizer/vocab.h"

namespace vigil::tokenizer {

// A special token (`id >= 0`) or a raw text span `[offset, offset + len)`.
struct Fragment {
  int32_t id = -1;
  size_t offset = 0;
  size_t len = 0;
};

// Returns the ids that may be split out of text: CONTROL, UNKNOWN and
// USER_DEFINED pieces with non-empty text, longest text first (ties: lower
// id first), as llama.cpp orders its special-token cache.
std::vector<int32_t> CollectSplitTokens(const Vocab& vocab);

// Returns `text` cut into fragments. Pieces are applied one after another in
// the order of `split_tokens`, each splitting every raw fragment left so far
// at its occurrences (leftmost first). CONTROL/UNKNOWN pieces count only if
// `parse_special`; USER_DEFINED pieces always.
std::vector<Fragment> SplitSpecial(const Vocab& vocab,
                                   std::span<const int32_t> split_tokens,
                                   std::string_view text, bool parse_special);

}  // namespace vigil::tokenizer
