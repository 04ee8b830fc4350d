// SPDX-License-Identifier: Apache-2.0
#include "inference/kernels/weight_layout.h"

#include <cstring>
#include <vector>

#include "common/check.h"

namespace vigil::kernels {
namespace {

// Bytes of one step of one row: a super-block (Q4_K 144, Q6_K 210) or, for
// Q4_0, four 18-byte blocks (128 elements).
size_t StepBytes(const WeightMatrix& w) {
  switch (w.type) {
    case gguf::GgmlType::kQ4_K: return 144;
    case gguf::GgmlType::kQ6_K: return 210;
    default: return 72;
  }
}
size_t StepElems(const WeightMatrix& w) {
  return w.type == gguf::GgmlType::kQ4_0 ? 128 : 256;
}

// Calls `copy(quads_offset, row_offset, bytes)` for every piece of row
// `row`. Each step of the 4 rows takes 4 * StepBytes(w) bytes. K-quants:
// chunk c of the step sits at chunk slot 4c + row % 4, and the tail bytes
// after the chunks (Q6_K's d) follow all chunks, row after row. Q4_0: the
// 16 quant bytes of block j at slot 4j + row % 4, then the 16 fp16 scales,
// d of block j of row k at 4j + k.
template <typename Copy>
void ForEachPiece(const WeightMatrix& w, size_t row, Copy&& copy) {
  const size_t step = StepBytes(w), lane = row % 4;
  for (size_t s = 0; s < w.cols / StepElems(w); ++s) {
    const size_t base = row / 4 * 4 * w.row_bytes + 4 * step * s;
    if (w.type == gguf::GgmlType::kQ4_0) {
      for (size_t j = 0; j < 4; ++j) {
        copy(base + (4 * j + lane) * kQuadChunkBytes, step * s + 18 * j + 2,
             kQuadChunkBytes);
        copy(base + 16 * kQuadChunkBytes + 2 * (4 * j + lane), step * s + 18 * j, 2);
      }
      continue;
    }
    const size_t chunks = step / kQuadChunkBytes, tail = step % kQuadChunkBytes;
    for (size_t c = 0; c < chunks; ++c) {
      copy(base + (4 * c + lane) * kQuadChunkBytes, step * s + kQuadChunkBytes * c,
           kQuadChunkBytes);
    }
    if (tail != 0) {
      copy(base + 4 * chunks * kQuadChunkBytes + lane * tail,
           step * s + chunks * kQuadChunkBytes, tail);
    }
  }
}

}  // namespace

bool FitsQuads(const WeightMatrix& w) {
  return (w.type == gguf::GgmlType::kQ4_0 || w.type == gguf::GgmlType::kQ4_K ||
          w.type == gguf::GgmlType::kQ6_K) &&
         w.layout == RowLayout::kGguf && w.rows % 4 == 0 &&
         w.cols % StepElems(w) == 0 && w.row_bytes == w.cols / StepElems(w) * StepBytes(w);
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
