// SPDX-License-Identifier: Apache-2.0
// Symbols form a doubly linked list over the run; candidate pairs wait in a
// min-heap keyed by (rank, left position). A popped candidate is stale when
// one of its symbols was merged away or grew since it was queued.
#include "inference/tokenizer/bpe.h"

#include <queue>

namespace vigil::tokenizer {
namespace {

struct Symbol {
  int64_t start;  // byte offset in the run
  int64_t len;    // bytes; 0 once merged into its left neighbour
  int64_t prev;   // -1 at the start
  int64_t next;   // -1 at the end
  int32_t id;     // token id, or -1 if this text is no token
};

struct Candidate {
  int32_t rank;
  int32_t result;
  int64_t left;
  int64_t right;
  int64_t len;  // left.len + right.len when queued
};

struct LaterCandidate {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
  }
};

using CandidateQueue =
    std::priority_queue<Candidate, std::vector<Candidate>, LaterCandidate>;

void QueuePair(const Vocab& vocab, const std::vector<Symbol>& symbols,
               int64_t left, CandidateQueue* queue) {
  if (left < 0) return;
  const int64_t right = symbols[left].next;
  if (right < 0) return;
  const Merge merge = vocab.FindMerge(symbols[left].id, symbols[right].id);
  if (merge.rank < 0) return;
  queue->push(Candidate{merge.rank, merge.result, left, right,
                        symbols[left].len + symbols[right].len});
}

std::vector<Symbol> SplitCodePoints(const Vocab& vocab, std::string_view run) {
  std::vector<Symbol> symbols;
  symbols.reserve(run.size());
  for (size_t pos = 0; pos < run.size();) {
    const size_t len = Utf8SequenceLength(run, pos);
    const int64_t index = static_cast<int64_t>(symbols.size());
    symbols.push_back(Symbol{static_cast<int64_t>(pos),
                             static_cast<int64_t>(len), index - 1, index + 1,
                             vocab.Find(run.substr(pos, len))});
    pos += len;
  }
  if (!symbols.empty()) symbols.back().next = -1;
  return symbols;
}

void EmitSymbol(const Vocab& vocab, std::string_view run, const Symbol& sym,
                std::vector<int32_t>* out) {
  if (sym.id >= 0) {
    out->push_back(sym.id);
    return;
  }
  for (int64_t i = 0; i < sym.len; ++i) {
    const int32_t byte_id =
        vocab.ByteToken(static_cast<uint8_t>(run[sym.start + i]));
    const int32_t id = byte_id >= 0 ? byte_id : vocab.special().unk;
    if (id >= 0) out->push_back(id);
  }
}

}  // namespace

size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  const auto lead = static_cast<uint8_t>(text[pos]);
  size_t len = 1;
  if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
  } else if (lead >= 0xE0) {
    len = lead <= 0xEF ? 3 : 1;
  } else if (lead >= 0xC2) {
    len = 2;
  }
  if (len == 1 || pos + len > text.size()) return 1;
  for (size_t i = 1; i < len; ++i) {
    if ((static_cast<uint8_t>(text[pos + i]) & 0xC0) != 0x80) return 1;
  }
  return len;
}

void BpeEncodeRun(const Vocab& vocab, std::string_view run,
                  std::vector<int32_t>* out) {
  std::vector<Symbol> symbols = SplitCodePoints(vocab, run);
  if (symbols.empty()) return;
  CandidateQueue queue;
  for (int64_t i = 0; i + 1 < static_cast<int64_t>(symbols.size()); ++i) {
    QueuePair(vocab, symbols, i, &queue);
  }
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    Symbol& left = symbols[c.left];
    Symbol& right = symbols[c.right];
    if (left.len == 0 || right.len == 0 || left.next != c.right ||
        left.len + right.len != c.len) {
      continue;  // stale: a neighbour changed since this pair was queued
    }
    left.len += right.len;
    left.id = c.result;
    right.len = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = c.left;
    QueuePair(vocab, symbols, left.prev, &queue);
    QueuePair(vocab, symbols, c.left, &queue);
  }
  for (int64_t i = 0; i >= 0; i = symbols[i].next) {
    EmitSymbol(vocab, run, symbols[i], out);
  }
}

}  // namespace vigil::tokenizer
