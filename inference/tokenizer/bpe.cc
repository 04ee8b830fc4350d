// SPDX-License-Identifier: Apache-2.0
// Symbols form a doubly linked list over the run; candidate pairs wait in a
// min-heap keyed by (rank, left position), as llama.cpp's BPE session does. A
// popped candidate is stale when one of its symbols changed since queued.
#include "inference/tokenizer/bpe.h"

#include <algorithm>

namespace vigil::tokenizer {
namespace {

// Runs longer than this are encoded in pieces cut at code-point boundaries so
// that 32-bit positions suffice (no real text has a 1 GiB newline-free run).
constexpr size_t kMaxRunBytes = size_t{1} << 30;

struct Symbol {
  uint32_t start;  // byte offset in the run
  uint32_t len;    // bytes; 0 once merged into its left neighbour
  int32_t prev;    // -1 at the start
  int32_t next;    // -1 at the end
  int32_t id;      // token id, or -1 if this text is no token
};

// 16 bytes so that the heap of a long run stays cache-friendly. `key` orders
// by rank, then by left position (leftmost wins ties). The pair is still
// valid if `left` has its old length and its neighbour fills `len` bytes:
// symbols only grow, so that span can only be the same two symbols.
struct Candidate {
  uint64_t key;  // rank << 32 | left
  uint32_t len;  // left.len + right.len when queued
  int32_t result;
};

struct LaterCandidate {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.key > b.key;
  }
};

void QueuePair(const Vocab& vocab, const std::vector<Symbol>& symbols,
               int32_t left, std::vector<Candidate>* heap) {
  if (left < 0) return;
  const int32_t right = symbols[left].next;
  if (right < 0) return;
  const Merge merge = vocab.FindMerge(symbols[left].id, symbols[right].id);
  if (merge.rank < 0) return;
  heap->push_back(
      Candidate{(uint64_t(uint32_t(merge.rank)) << 32) | uint32_t(left),
                symbols[left].len + symbols[right].len, merge.result});
  std::push_heap(heap->begin(), heap->end(), LaterCandidate{});
}

std::vector<Symbol> SplitCodePoints(const Vocab& vocab, std::string_view run) {
  std::vector<Symbol> symbols;
  symbols.reserve(run.size());
  for (size_t pos = 0; pos < run.size();) {
    const size_t len = Utf8SequenceLength(run, pos);
    const auto index = static_cast<int32_t>(symbols.size());
    symbols.push_back(Symbol{static_cast<uint32_t>(pos),
                             static_cast<uint32_t>(len), index - 1, index + 1,
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
  for (uint32_t i = 0; i < sym.len; ++i) {
    const int32_t byte_id =
        vocab.ByteToken(static_cast<uint8_t>(run[sym.start + i]));
    const int32_t id = byte_id >= 0 ? byte_id : vocab.special().unk;
    if (id >= 0) out->push_back(id);
  }
}

// Merges the symbols of `run` (at most kMaxRunBytes) and emits them.
void EncodeShortRun(const Vocab& vocab, std::string_view run,
                    std::vector<int32_t>* out) {
  std::vector<Symbol> symbols = SplitCodePoints(vocab, run);
  if (symbols.empty()) return;
  std::vector<Candidate> heap;
  heap.reserve(symbols.size());
  for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) {
    const Merge m = vocab.FindMerge(symbols[i].id, symbols[i + 1].id);
    if (m.rank < 0) continue;
    heap.push_back(Candidate{(uint64_t(uint32_t(m.rank)) << 32) | uint32_t(i),
                             symbols[i].len + symbols[i + 1].len, m.result});
  }
  std::make_heap(heap.begin(), heap.end(), LaterCandidate{});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), LaterCandidate{});
    const Candidate c = heap.back();
    heap.pop_back();
    const auto l = static_cast<int32_t>(c.key & 0xFFFFFFFFu);
    Symbol& left = symbols[l];
    if (left.len == 0 || left.next < 0 || left.len >= c.len ||
        left.len + symbols[left.next].len != c.len) {
      continue;  // stale: a neighbour changed since this pair was queued
    }
    Symbol& right = symbols[left.next];
    left.len = c.len;
    left.id = c.result;
    right.len = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = l;
    QueuePair(vocab, symbols, left.prev, &heap);
    QueuePair(vocab, symbols, l, &heap);
  }
  for (int32_t i = 0; i >= 0; i = symbols[i].next) {
    EmitSymbol(vocab, run, symbols[i], out);
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
  while (run.size() > kMaxRunBytes) {
    // Back up at most 3 continuation bytes to a code-point start.
    size_t cut = kMaxRunBytes;
    while (cut > kMaxRunBytes - 3 &&
           (static_cast<uint8_t>(run[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    EncodeShortRun(vocab, run.substr(0, cut), out);
    run.remove_prefix(cut);
  }
  EncodeShortRun(vocab, run, out);
}

}  // namespace vigil::tokenizer
