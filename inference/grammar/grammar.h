// SPDX-License-Identifier: Apache-2.0
// A byte-level grammar for constrained decoding: a flat program of JSON
// pieces (literals, bounded strings, enums, small ints, arrays) compiled
// from a JSON-schema subset (schema_compile.h). The output is compact JSON
// (no whitespace), so keys and punctuation are single forced continuations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::grammar {

enum class OpKind : uint8_t {
  kLiteral,     // exact bytes (keys, punctuation)
  kString,      // "..." UTF-8, no escapes or control bytes, [min, max] bytes
  kEnum,        // "..." one of `choices`
  kInt,         // decimal in [min, max], min >= 0, no leading zeros
  kArrayOpen,   // '[' then [min, max] items separated by ','; jump = close
  kArrayClose,  // ',' (next item at `jump`) or ']'
  kEnd,         // accepts nothing: the document is complete
};

struct Op {
  OpKind kind = OpKind::kEnd;
  std::string literal;               // kLiteral
  std::vector<std::string> choices;  // kEnum: sorted, unique, non-empty
  int32_t min = 0;                   // kString/kArrayOpen: count; kInt: value
  int32_t max = 0;
  bool unique = false;               // kEnum: each choice once per array
  int32_t jump = 0;                  // see OpKind
};

// Nesting depth of arrays the matcher tracks.
inline constexpr int kMaxArrayDepth = 4;

// An immutable program; build with `GrammarBuilder` or `CompileJsonSchema`.
struct Grammar {
  std::vector<Op> ops;  // ends with kEnd
};

// Appends ops; arrays are opened and closed like brackets.
class GrammarBuilder {
 public:
  GrammarBuilder& Literal(std::string bytes);
  GrammarBuilder& String(int32_t min_bytes, int32_t max_bytes);
  GrammarBuilder& Enum(std::vector<std::string> choices, bool unique = false);
  GrammarBuilder& Int(int32_t min, int32_t max);
  GrammarBuilder& OpenArray(int32_t min_items, int32_t max_items);
  GrammarBuilder& CloseArray();
  // Appends kEnd and returns the program (arrays must be balanced; the
  // builder's callers are the schema compiler and tests).
  Grammar Build();

 private:
  Grammar g_;
  std::vector<int32_t> open_;
};

}  // namespace vigil::grammar
