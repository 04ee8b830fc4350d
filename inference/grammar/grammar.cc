// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/grammar.h"

#include <algorithm>

#include "common/check.h"

namespace vigil::grammar {
namespace {

Op MakeOp(OpKind kind, int32_t min = 0, int32_t max = 0) {
  Op op;
  op.kind = kind;
  op.min = min;
  op.max = max;
  return op;
}

}  // namespace

GrammarBuilder& GrammarBuilder::Literal(std::string bytes) {
  if (bytes.empty()) return *this;
  // Adjacent literals merge so a forced span is one op.
  if (!g_.ops.empty() && g_.ops.back().kind == OpKind::kLiteral) {
    g_.ops.back().literal += bytes;
    return *this;
  }
  Op op = MakeOp(OpKind::kLiteral);
  op.literal = std::move(bytes);
  g_.ops.push_back(std::move(op));
  return *this;
}

GrammarBuilder& GrammarBuilder::String(int32_t min_bytes, int32_t max_bytes) {
  VIGIL_CHECK(min_bytes >= 0 && max_bytes >= min_bytes && max_bytes < 60000);
  g_.ops.push_back(MakeOp(OpKind::kString, min_bytes, max_bytes));
  return *this;
}

GrammarBuilder& GrammarBuilder::Enum(std::vector<std::string> choices,
                                     bool unique) {
  std::sort(choices.begin(), choices.end());
  choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
  VIGIL_CHECK(!choices.empty() && (!unique || choices.size() <= 64));
  Op op = MakeOp(OpKind::kEnum);
  op.choices = std::move(choices);
  op.unique = unique;
  g_.ops.push_back(std::move(op));
  return *this;
}

GrammarBuilder& GrammarBuilder::Int(int32_t min, int32_t max) {
  VIGIL_CHECK(min >= 0 && max >= min);
  g_.ops.push_back(MakeOp(OpKind::kInt, min, max));
  return *this;
}

GrammarBuilder& GrammarBuilder::OpenArray(int32_t min_items,
                                          int32_t max_items) {
  VIGIL_CHECK(min_items >= 0 && max_items >= std::max(min_items, 1));
  VIGIL_CHECK(open_.size() < size_t(kMaxArrayDepth));
  open_.push_back(int32_t(g_.ops.size()));
  g_.ops.push_back(MakeOp(OpKind::kArrayOpen, min_items, max_items));
  return *this;
}

GrammarBuilder& GrammarBuilder::CloseArray() {
  VIGIL_CHECK(!open_.empty());
  const int32_t open = open_.back();
  open_.pop_back();
  VIGIL_CHECK(size_t(open + 1) < g_.ops.size());  // at least one item op
  g_.ops[size_t(open)].jump = int32_t(g_.ops.size());
  Op close = MakeOp(OpKind::kArrayClose);
  close.jump = open + 1;
  g_.ops.push_back(std::move(close));
  return *this;
}

Grammar GrammarBuilder::Build() {
  VIGIL_CHECK(open_.empty());
  g_.ops.push_back(MakeOp(OpKind::kEnd));
  Grammar out = std::move(g_);
  g_ = {};
  return out;
}

}  // namespace vigil::grammar
