// SPDX-License-Identifier: Apache-2.0
#include "inference/kernels/weight_layout.h"

#include <cstring>
#include <vector>

#include "common/check.h"

namespace vigil::kernels {
namespace {

// Offset in a kQuads matrix of chunk `c` of super-block `s` of row `row`.
size_t QuadChunkOffset(const WeightMatrix& w, size_t row, size_t s, size_t c) {
  return row / 4 * 4 * w.row_bytes +
         ((s * kQuadChunksPerBlock + c) * 4 + row % 4) * kQuadChunkBytes;
}

}  // namespace

bool FitsQuads(const WeightMatrix& w) {
  return w.type == gguf::GgmlType::kQ4_K && w.layout == RowLayout::kGguf &&
         w.rows % 4 == 0 && w.row_bytes == w.cols / 256 * 144;
}

void RepackQuads(const WeightMatrix& w, size_t row_begin, size_t row_end,
                 uint8_t* dst) {
  VIGIL_CHECK(FitsQuads(w) && row_begin % 4 == 0 && row_end % 4 == 0 &&
              row_end <= w.rows);
  const auto* src = static_cast<const uint8_t*>(w.data);
  for (size_t row = row_begin; row < row_end; ++row) {
    const uint8_t* blocks = src + row * w.row_bytes;
    for (size_t s = 0; s < w.cols / 256; ++s) {
      for (size_t c = 0; c < kQuadChunksPerBlock; ++c) {
        std::memcpy(dst + QuadChunkOffset(w, row, s, c),
                    blocks + 144 * s + kQuadChunkBytes * c, kQuadChunkBytes);
      }
    }
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
  uint8_t* scratch = row_copy.data();
  for (size_t s = 0; s < w.cols / 256; ++s) {
    for (size_t c = 0; c < kQuadChunksPerBlock; ++c) {
      std::memcpy(scratch + 144 * s + kQuadChunkBytes * c,
                  base + QuadChunkOffset(w, row, s, c), kQuadChunkBytes);
    }
  }
  return scratch;
}

}  // namespace vigil::kernels
