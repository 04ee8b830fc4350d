// SPDX-License-Identifier: Apache-2.0
// Runs a `Grammar` over bytes: a pushdown automaton whose whole state is a
// small copyable struct, so the token mask can fork it at every trie node.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "inference/grammar/grammar.h"

namespace vigil::grammar {

// Where the matcher is. Plain data; copy freely.
struct MatchState {
  uint16_t pc = 0;       // current op
  uint16_t n = 0;        // bytes seen in the op (literal/string/enum prefix)
  uint16_t lo = 0;       // kEnum: candidate range [lo, hi)
  uint16_t hi = 0;
  uint8_t phase = 0;     // 0 = before the op's first byte
  uint8_t utf8_left = 0; // continuation bytes still owed
  uint8_t utf8_lo = 0x80;
  uint8_t utf8_hi = 0xBF;
  uint8_t depth = 0;     // open arrays
  int32_t value = 0;     // kInt so far
  uint16_t items[kMaxArrayDepth] = {};
  uint64_t used[kMaxArrayDepth] = {};  // unique enums taken per array
};

class Matcher {
 public:
  // `grammar` must outlive the matcher.
  explicit Matcher(const Grammar& grammar) : g_(grammar) {}

  MatchState Start() const { return {}; }
  // Advances over one byte. Returns false (leaving `s` unspecified) when
  // the grammar does not allow it.
  bool Step(MatchState* s, uint8_t c) const;
  // Advances over `bytes`; false if any byte is refused.
  bool Accepts(MatchState* s, std::string_view bytes) const;
  bool IsComplete(const MatchState& s) const {
    return g_.ops[s.pc].kind == OpKind::kEnd;
  }
  // The bytes allowed next (computed by trying each of the 256).
  std::bitset<256> AllowedBytes(const MatchState& s) const;
  // The bytes the grammar forces from `s` (exactly one continuation each),
  // up to the next choice or the end; advances `s` over them.
  std::string TakeForced(MatchState* s) const;
  // The shortest-ish way to finish the document from `s` (closes strings,
  // arrays and objects; fills required minimums); advances `s` to the end.
  std::string TakeCompletion(MatchState* s) const;

 private:
  bool StepString(MatchState* s, const Op& op, uint8_t c) const;
  bool StepEnum(MatchState* s, const Op& op, uint8_t c) const;
  // kInt: returns 1 accepted, 0 refused, -1 "int done, retry on next op".
  int StepInt(MatchState* s, const Op& op, uint8_t c) const;
  bool StepArrayOpen(MatchState* s, const Op& op, uint8_t c,
                     bool* retry) const;
  bool StepArrayClose(MatchState* s, const Op& op, uint8_t c) const;
  uint8_t ClosingByte(const MatchState& s) const;
  void Next(MatchState* s) const;

  const Grammar& g_;
};

}  // namespace vigil::grammar
