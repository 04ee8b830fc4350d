// SPDX-License-Identifier: Apache-2.0
#include "inference/tokenizer/piece_index.h"

#include <functional>

#include "common/check.h"

namespace vigil::tokenizer {
namespace {

// Returns a power of two with load factor <= 0.5 for `n` keys.
size_t TableSize(size_t n) {
  size_t size = 16;
  while (size < 2 * n) size *= 2;
  return size;
}

uint64_t MixPair(uint64_t key) {
  // splitmix64 finalizer: spreads consecutive ids over the table.
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return key;
}

}  // namespace

void PieceIndex::Reserve(size_t n) {
  VIGIL_CHECK(slots_.empty());
  slots_.assign(TableSize(n), Slot{});
  mask_ = slots_.size() - 1;
}

void PieceIndex::Insert(std::string_view key, int32_t id) {
  VIGIL_CHECK(!slots_.empty() && id >= 0);
  const size_t hash = std::hash<std::string_view>{}(key);
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t i = hash & mask_;
  while (slots_[i].id >= 0 && (slots_[i].tag != tag || slots_[i].key != key)) {
    i = (i + 1) & mask_;
  }
  if (slots_[i].id < 0) {
    VIGIL_CHECK(size_ < slots_.size() / 2);  // Reserve() was too small
    ++size_;
  }
  slots_[i] = Slot{key, id, tag};
}

int32_t PieceIndex::Find(std::string_view key) const {
  if (slots_.empty()) return -1;
  const size_t hash = std::hash<std::string_view>{}(key);
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t i = hash & mask_;
  while (slots_[i].id >= 0) {
    if (slots_[i].tag == tag && slots_[i].key == key) return slots_[i].id;
    i = (i + 1) & mask_;
  }
  return -1;
}

void MergeIndex::Reserve(size_t n) {
  VIGIL_CHECK(slots_.empty());
  slots_.assign(TableSize(n), Slot{});
  mask_ = slots_.size() - 1;
}

void MergeIndex::Insert(int32_t left, int32_t right, Merge merge) {
  VIGIL_CHECK(!slots_.empty() && left >= 0 && right >= 0);
  VIGIL_CHECK(size_ < slots_.size() / 2);
  const uint64_t key = (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
  size_t i = MixPair(key) & mask_;
  while (slots_[i].key != kEmpty) {
    if (slots_[i].key == key) return;
    i = (i + 1) & mask_;
  }
  slots_[i] = Slot{key, merge};
  ++size_;
}

Merge MergeIndex::Find(int32_t left, int32_t right) const {
  if (slots_.empty() || left < 0 || right < 0) return Merge{};
  const uint64_t key = (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
  size_t i = MixPair(key) & mask_;
  while (slots_[i].key != kEmpty) {
    if (slots_[i].key == key) return slots_[i].merge;
    i = (i + 1) & mask_;
  }
  return Merge{};
}

}  // namespace vigil::tokenizer
