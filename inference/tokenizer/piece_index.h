// SPDX-License-Identifier: Apache-2.0
// Flat open-addressing hash tables for the tokenizer: piece text -> token id
// and (left id, right id) -> merge. Built once at load; lookups allocate
// nothing. Not a general container (no erase, fixed capacity).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::tokenizer {

// Maps piece text to token id. Keys are views the caller keeps alive.
// Thread-compatible; concurrent `Find` calls are safe after building.
class PieceIndex {
 public:
  // Prepares room for `n` keys (call before `Insert`).
  void Reserve(size_t n);
  // Adds or replaces `key` -> `id` (a later id wins, as in llama.cpp).
  void Insert(std::string_view key, int32_t id);
  // Returns the id of `key`, or -1 if absent.
  int32_t Find(std::string_view key) const;

 private:
  struct Slot {
    std::string_view key;
    int32_t id = -1;
    uint32_t tag = 0;  // high hash bits: most mismatches skip the memcmp
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// One BPE merge: its rank (index in `tokenizer.ggml.merges`) and the id of the
// merged piece.
struct Merge {
  int32_t rank = -1;
  int32_t result = -1;
};

// Maps an ordered pair of token ids to the merge that joins them.
// Thread-compatible; concurrent `Find` calls are safe after building.
class MergeIndex {
 public:
  void Reserve(size_t n);
  // Adds the pair unless present (the first, lowest-ranked merge wins).
  void Insert(int32_t left, int32_t right, Merge merge);
  // Returns the merge for (`left`, `right`), or rank -1 if none.
  Merge Find(int32_t left, int32_t right) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key = kEmpty;
    Merge merge;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace vigil::tokenizer
