// SPDX-License-Identifier: Apache-2.0
#include "inference/kernels/weight_layout.h"

#include <cstring>
#include <vector>

#include "common/check.h"

namespace vigil::kernels {
namespace {

// Bytes of one super-block of one row (Q4_K 144, Q6_K 210).
size_t BlockBytes(const WeightMatrix& w) {
  return w.type == gguf::GgmlType::kQ4_K ? 144 : 210;
}

// Calls `copy(quads_offset, row_offset, bytes)` for every piece of row
// `row`: chunk c of super-block s of the 4 rows sits at chunk slot 4c + row
// % 4 of the block's 4 * BlockBytes(w) bytes, and the tail bytes after the
// chunks (Q6_K's d) follow all chunks, row after row.
template <typename Copy>
void ForEachPiece(const WeightMatrix& w, size_t row, Copy&& copy) {
  const size_t block = BlockBytes(w), chunks = block / kQuadChunkBytes;
  const size_t tail = block % kQuadChunkBytes, lane = row % 4;
  for (size_t s = 0; s < w.cols / 256; ++s) {
    const size_t base = row / 4 * 4 * w.row_bytes + 4 * block * s;
    for (size_t c = 0; c < chunks; ++c) {
      copy(base + (4 * c + lane) * kQuadChunkBytes, block * s + kQuadChunkBytes * c,
           kQuadChunkBytes);
    }
    if (tail != 0) {
      copy(base + 4 * chunks * kQuadChunkBytes + lane * tail,
           block * s + chunks * kQuadChunkBytes, tail);
    }
  }
}

}  // namespace

bool FitsQuads(const WeightMatrix& w) {
  return (w.type == gguf::GgmlType::kQ4_K || w.type == gguf::GgmlType::kQ6_K) &&
         w.layout == RowLayout::kGguf && w.rows % 4 == 0 &&
         w.row_bytes == w.cols / 256 * BlockBytes(w);
}

void RepackQuads(const WeightMatrix& w, size_t row_begin, size_t row_end,
                 uint8_t* dst) {
  VIGIL_CHECK(FitsQuads(w) && row_begin % 4 == 0 && row_end % 4 == 0 &&
              row_end <= w.rows);
  const auto* src = static_cast<const uint8_t*>(w.data);
  for (size_t row = row_begin; row < row_end; ++row) {
    const uint8_t* blocks = src + row * w.row_bytes;
    ForEachPiece(w, row, [&](size_t at, size_t from, size_t n) {
      std::memcpy(dst + at, blocks + from, n);
    });
  }
}

WeightMatrix AsQuads(const WeightMatrix& w, const uint8_t* dst) {
  VIGIL_CHECK(FitsQuads(w));
  WeightMatrix q = w;
  q.data = dst;
  q.layout = RowLayout::kQuads;
  return q;
}

const uint8_t* RowBlocks(const WeightMatrix& w, size_t row) {
  const auto* base = static_cast<const uint8_t*>(w.data);
  if (w.layout == RowLayout::kGguf) return base + row * w.row_bytes;
  thread_local std::vector<uint8_t> row_copy;
  if (row_copy.size() < w.row_bytes) row_copy.resize(w.row_bytes);
  uint8_t* out = row_copy.data();
  ForEachPiece(w, row, [&](size_t at, size_t from, size_t n) {
    std::memcpy(out + from, base + at, n);
  });
  return out;
}

}  // namespace vigil::kernels
