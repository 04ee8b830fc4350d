// SPDX-License-Identifier: Apache-2.0
// The kQuads row layout (matmul.h): repacking a Q4_0, Q4_K or Q6_K matrix
// into it, and reading one row back in GGUF block order for the kernels
// that decode whole rows (prefill, dequantization).
#pragma once

#include <cstddef>
#include <cstdint>

#include "inference/kernels/matmul.h"

namespace vigil::kernels {

// The unit interleaved across 4 rows.
inline constexpr size_t kQuadChunkBytes = 16;

// True if `w` can be held as kQuads: Q4_0 (cols a multiple of 128), Q4_K
// or Q6_K in GGUF layout, rows a multiple of 4.
bool FitsQuads(const WeightMatrix& w);

// Copies rows [row_begin, row_end) of `w` (GGUF layout, FitsQuads; both
// bounds multiples of 4) into `dst` at their kQuads positions. `dst` holds
// w.rows * w.row_bytes bytes.
void RepackQuads(const WeightMatrix& w, size_t row_begin, size_t row_end,
                 uint8_t* dst);

// `w` pointing at `dst` (filled by RepackQuads) in the kQuads layout.
WeightMatrix AsQuads(const WeightMatrix& w, const uint8_t* dst);

// Row `row` of `w` in GGUF block order: a pointer into `w` for kGguf, or,
// for kQuads, into this thread's scratch row gathered from the chunks (valid
// until the thread's next call).
const uint8_t* RowBlocks(const WeightMatrix& w, size_t row);

}  // namespace vigil::kernels
