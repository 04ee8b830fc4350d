// SPDX-License-Identifier: Apache-2.0
// A small hand-made Gemma-4-style vocabulary for unit tests: the special
// pieces, byte pieces, a few characters and merges in a chosen rank order.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "inference/tokenizer/vocab.h"

namespace vigil::tokenizer::testing {

// Owns the strings that a `VocabSource` views.
struct TestVocab {
  std::vector<std::string> tokens;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
  bool with_byte_tokens = true;

  int32_t Add(std::string text, TokenType type = TokenType::kNormal) {
    tokens.push_back(std::move(text));
    types.push_back(static_cast<int32_t>(type));
    return static_cast<int32_t>(tokens.size() - 1);
  }
  // Adds the merge `left right` and its result piece (if new).
  void AddMerge(const std::string& left, const std::string& right) {
    merges.push_back(left + " " + right);
    for (const std::string& t : tokens) {
      if (t == left + right) return;
    }
    Add(left + right);
  }
  VocabSource Source() const {
    VocabSource s;
    for (const std::string& t : tokens) s.tokens.push_back(t);
    s.token_types = types;
    for (const std::string& m : merges) s.merges.push_back(m);
    return s;
  }
};

// Ids 0..8 special, then "\n", "\n\n", 256 byte pieces (unless disabled),
// then "a" "b" "c" "▁" "h" "i" "\t". No merges.
inline TestVocab MakeBaseVocab(bool with_byte_tokens = true) {
  TestVocab v;
  v.Add("<pad>", TokenType::kControl);                 // 0
  v.Add("<eos>", TokenType::kControl);                 // 1
  v.Add("<bos>", TokenType::kControl);                 // 2
  v.Add("<unk>", TokenType::kControl);                 // 3
  v.Add("<|turn>", TokenType::kControl);               // 4
  v.Add("<turn|>", TokenType::kControl);               // 5
  v.Add("<|channel>", TokenType::kUserDefined);        // 6
  v.Add("<channel|>", TokenType::kUserDefined);        // 7
  v.Add("<|tool_response>", TokenType::kUserDefined);  // 8
  v.Add("\n");                                         // 9
  v.Add("\n\n");                                       // 10
  if (with_byte_tokens) {
    for (int b = 0; b < 256; ++b) {
      char name[8];
      std::snprintf(name, sizeof(name), "<0x%02X>", b);
      v.Add(name, TokenType::kByte);  // 11 + b
    }
  }
  for (const char* c : {"a", "b", "c", "\xE2\x96\x81", "h", "i", "\t"}) {
    v.Add(c);
  }
  return v;
}

}  // namespace vigil::tokenizer::testing
