// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/matcher.h"

#include "common/check.h"

namespace vigil::grammar {
namespace {

// Lead byte -> (continuation bytes, first continuation range), RFC 3629.
bool Utf8Lead(uint8_t c, uint8_t* left, uint8_t* lo, uint8_t* hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) { *left = 1; return true; }
  if (c == 0xE0) { *left = 2; *lo = 0xA0; return true; }
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    *left = 2;
    return true;
  }
  if (c == 0xED) { *left = 2; *hi = 0x9F; return true; }
  if (c == 0xF0) { *left = 3; *lo = 0x90; return true; }
  if (c >= 0xF1 && c <= 0xF3) { *left = 3; return true; }
  if (c == 0xF4) { *left = 3; *hi = 0x8F; return true; }
  return false;
}

// True if some decimal extension of `v` (v, v0..v9, v00..) lies in
// [min, max].
bool CanReach(int64_t v, int64_t min, int64_t max) {
  int64_t lo = v, hi = v;
  for (int k = 0; k < 11 && lo <= max; ++k) {
    if (hi >= min) return true;
    lo *= 10;
    hi = hi * 10 + 9;
  }
  return false;
}

}  // namespace

void Matcher::Next(MatchState* s) const {
  ++s->pc;
  s->n = 0;
  s->phase = 0;
  s->value = 0;
}

bool Matcher::StepString(MatchState* s, const Op& op, uint8_t c) const {
  if (s->phase == 0) {
    if (c != '"') return false;
    s->phase = 1;
    return true;
  }
  if (s->utf8_left > 0) {
    if (c < s->utf8_lo || c > s->utf8_hi) return false;
    --s->utf8_left;
    s->utf8_lo = 0x80;
    s->utf8_hi = 0xBF;
    return true;
  }
  if (c == '"') {
    if (s->n < op.min) return false;
    Next(s);
    return true;
  }
  if (c < 0x20 || c == '\\' || c == 0x7F) return false;
  uint8_t left = 0;
  if (c >= 0x80) {
    if (!Utf8Lead(c, &left, &s->utf8_lo, &s->utf8_hi)) return false;
  }
  if (s->n + 1 + left > op.max) return false;
  s->n = uint16_t(s->n + 1 + left);  // counts the whole character
  s->utf8_left = left;
  return true;
}

bool Matcher::StepEnum(MatchState* s, const Op& op, uint8_t c) const {
  const uint64_t used = op.unique && s->depth > 0 ? s->used[s->depth - 1] : 0;
  if (s->phase == 0) {
    if (c != '"') return false;
    s->phase = 1;
    s->lo = 0;
    s->hi = uint16_t(op.choices.size());
    return true;
  }
  if (c == '"') {
    // The choice equal to the prefix sorts first in the range.
    if (op.choices[s->lo].size() != s->n || (used >> s->lo & 1)) return false;
    if (op.unique && s->depth > 0) s->used[s->depth - 1] |= 1ull << s->lo;
    Next(s);
    return true;
  }
  uint16_t lo = s->lo, hi = s->hi;
  while (lo < hi && (op.choices[lo].size() <= s->n ||
                     uint8_t(op.choices[lo][s->n]) != c)) {
    ++lo;
  }
  hi = lo;
  while (hi < s->hi && op.choices[hi].size() > s->n &&
         uint8_t(op.choices[hi][s->n]) == c) {
    ++hi;
  }
  bool any_free = false;
  for (uint16_t i = lo; i < hi && !any_free; ++i) any_free = !(used >> i & 1);
  if (!any_free) return false;
  s->lo = lo;
  s->hi = hi;
  ++s->n;
  return true;
}

int Matcher::StepInt(MatchState* s, const Op& op, uint8_t c) const {
  if (c >= '0' && c <= '9') {
    if (s->n > 0 && s->value == 0) return 0;  // no leading zeros
    if (s->n == 0 && c == '0' && op.min > 0) return 0;  // "0" is final
    const int64_t v = int64_t(s->value) * 10 + (c - '0');
    if (!CanReach(v, op.min, op.max)) return 0;
    s->value = int32_t(v);
    ++s->n;
    return 1;
  }
  if (s->n == 0 || s->value < op.min) return 0;
  Next(s);
  return -1;
}

bool Matcher::StepArrayOpen(MatchState* s, const Op& op, uint8_t c,
                            bool* retry) const {
  *retry = false;
  if (s->phase == 0) {
    if (c != '[' || s->depth >= kMaxArrayDepth) return false;
    s->items[s->depth] = 0;
    s->used[s->depth] = 0;
    ++s->depth;
    s->phase = 1;
    return true;
  }
  if (c == ']') {
    if (op.min > 0) return false;
    --s->depth;
    s->pc = uint16_t(op.jump);
    Next(s);
    return true;
  }
  // First item: the byte belongs to the item's first op.
  s->items[s->depth - 1] = 1;
  Next(s);
  *retry = true;
  return true;
}

bool Matcher::StepArrayClose(MatchState* s, const Op& op, uint8_t c) const {
  const Op& open = g_.ops[size_t(op.jump - 1)];
  uint16_t& items = s->items[s->depth - 1];
  if (c == ',' && items < open.max) {
    ++items;
    s->pc = uint16_t(op.jump);
    s->n = 0;
    s->phase = 0;
    s->value = 0;
    return true;
  }
  if (c == ']' && items >= open.min) {
    --s->depth;
    Next(s);
    return true;
  }
  return false;
}

bool Matcher::Step(MatchState* s, uint8_t c) const {
  for (;;) {
    const Op& op = g_.ops[s->pc];
    switch (op.kind) {
      case OpKind::kLiteral:
        if (uint8_t(op.literal[s->n]) != c) return false;
        if (++s->n == op.literal.size()) Next(s);
        return true;
      case OpKind::kString:
        return StepString(s, op, c);
      case OpKind::kEnum:
        return StepEnum(s, op, c);
      case OpKind::kInt: {
        const int r = StepInt(s, op, c);
        if (r >= 0) return r == 1;
        continue;  // the int ended; the byte belongs to the next op
      }
      case OpKind::kArrayOpen: {
        bool retry = false;
        if (!StepArrayOpen(s, op, c, &retry)) return false;
        if (retry) continue;
        return true;
      }
      case OpKind::kArrayClose:
        return StepArrayClose(s, op, c);
      case OpKind::kEnd:
        return false;
    }
    return false;
  }
}

bool Matcher::Accepts(MatchState* s, std::string_view bytes) const {
  for (char c : bytes) {
    if (!Step(s, uint8_t(c))) return false;
  }
  return true;
}

std::bitset<256> Matcher::AllowedBytes(const MatchState& s) const {
  std::bitset<256> out;
  for (int c = 0; c < 256; ++c) {
    MatchState t = s;
    if (Step(&t, uint8_t(c))) out.set(size_t(c));
  }
  return out;
}

std::string Matcher::TakeForced(MatchState* s) const {
  std::string out;
  while (!IsComplete(*s)) {
    // Fast path: inside a literal the next byte is known.
    const Op& op = g_.ops[s->pc];
    if (op.kind == OpKind::kLiteral) {
      out += op.literal.substr(s->n);
      Next(s);
      continue;
    }
    const std::bitset<256> allowed = AllowedBytes(*s);
    if (allowed.count() != 1) break;
    int c = 0;
    while (!allowed.test(size_t(c))) ++c;
    VIGIL_CHECK(Step(s, uint8_t(c)));
    out.push_back(char(c));
  }
  return out;
}

uint8_t Matcher::ClosingByte(const MatchState& s) const {
  const Op& op = g_.ops[s.pc];
  switch (op.kind) {
    case OpKind::kLiteral:
      return uint8_t(op.literal[s.n]);
    case OpKind::kString:
      if (s.phase == 0) return '"';
      if (s.utf8_left > 0) return s.utf8_lo;
      return s.n < op.min ? '.' : '"';
    case OpKind::kEnum: {
      if (s.phase == 0) return '"';
      const uint64_t used =
          op.unique && s.depth > 0 ? s.used[s.depth - 1] : 0;
      for (uint16_t i = s.lo; i < s.hi; ++i) {
        if (used >> i & 1) continue;
        const std::string& c = op.choices[i];
        return c.size() == s.n ? '"' : uint8_t(c[s.n]);
      }
      return 0;  // unreachable: Step keeps a free choice in range
    }
    case OpKind::kInt: {
      if (s.n > 0 && s.value >= op.min) {
        MatchState t = s;
        Next(&t);
        return ClosingByte(t);
      }
      for (int d = 0; d <= 9; ++d) {
        MatchState t = s;
        if (Step(&t, uint8_t('0' + d))) return uint8_t('0' + d);
      }
      return 0;
    }
    case OpKind::kArrayOpen: {
      if (s.phase == 0) return '[';
      if (op.min == 0) return ']';
      MatchState t = s;
      t.items[t.depth - 1] = 1;
      Next(&t);
      return ClosingByte(t);
    }
    case OpKind::kArrayClose: {
      const Op& open = g_.ops[size_t(op.jump - 1)];
      return s.items[s.depth - 1] >= open.min ? ']' : ',';
    }
    case OpKind::kEnd:
      return 0;
  }
  return 0;
}

std::string Matcher::TakeCompletion(MatchState* s) const {
  std::string out;
  while (!IsComplete(*s)) {
    const uint8_t c = ClosingByte(*s);
    VIGIL_CHECK(Step(s, c));
    out.push_back(char(c));
  }
  return out;
}

}  // namespace vigil::grammar
