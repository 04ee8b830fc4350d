// SPDX-License-Identifier: Apache-2.0
// Weight-times-activation products for every supported GGUF weight type.
// Kernels see only raw blocks and float buffers, never a model struct.
#pragma once

#include <cstddef>
#include <cstdint>

#include <string>

#include "common/status.h"
#include "inference/gguf/types.h"
#include "inference/kernels/thread_pool.h"

namespace vigil::kernels {

// How the blocks of a weight matrix lie in memory.
enum class RowLayout : uint8_t {
  // As in the GGUF file: each row's blocks in order, rows `row_bytes` apart.
  kGguf,
  // Q4_0, Q4_K and Q6_K (weight_layout.h): rows in groups of four; for
  // each super-block (Q4_0: 4 blocks), its 16-byte chunks (Q4_K: header,
  // then 8 of quants; Q6_K: 8 of ql, 4 of qh, the scales; Q4_0: the quants
  // of each block) with chunk c of the four rows side by side, then the
  // scales left over (Q6_K's four d, Q4_0's sixteen). The decode kernel
  // reads one forward stream and finds the same sub-block of four rows in
  // one vector.
  kQuads,
};

// A 2-D GGUF weight `ne = [cols, rows]`: `rows` rows of `cols` elements stored
// as blocks along each row, rows `row_bytes` apart. Points into the mmap, or
// into a repacked copy when `layout` is kQuads.
struct WeightMatrix {
  gguf::GgmlType type = gguf::GgmlType::kF32;
  const void* data = nullptr;
  size_t rows = 0;  // output features (ne1)
  size_t cols = 0;  // input features (ne0)
  size_t row_bytes = 0;
  RowLayout layout = RowLayout::kGguf;
};

// How activations meet quantized weights.
enum class MatMulPrecision {
  // Fast path: activations are quantized per block to int8 (Q8_0 / Q8_K, as
  // llama.cpp does) and multiplied with integer dot products; F16/BF16
  // weights times many tokens use bfloat16 products where the CPU has them
  // (GemmProducts::kBFloat16, matmul_gemm.h).
  kQuantizedActivations,
  // Reference path: weights dequantized to float32, float32 accumulation.
  kFloat32,
};

// Returns OK if `MatMul` and `DequantizeRow` accept `w` (supported type, cols
// a multiple of the block size, `row_bytes` large enough, data present);
// otherwise kUnsupported/kInvalidArgument naming `name` (the tensor). Call it
// when loading weights: `MatMul` itself aborts on a bad matrix.
Status ValidateWeight(const WeightMatrix& w, const std::string& name);

// y[t * w.rows + r] = dot(row r of w, x[t * w.cols ...]) for t < n_tokens.
// `x` holds n_tokens rows of w.cols floats; `y` n_tokens rows of w.rows.
// n_tokens > 1 runs as a tiled matrix-matrix product. Splits over `pool`.
void MatMul(const WeightMatrix& w, const float* x, size_t n_tokens, float* y,
            ThreadPool& pool,
            MatMulPrecision precision = MatMulPrecision::kQuantizedActivations);

// Dequantizes row `row` of `w` into `out` (w.cols floats). Used for embedding
// lookups straight from the mmap.
void DequantizeRow(const WeightMatrix& w, size_t row, float* out);

// True if this CPU's single-token kernel streams `w` faster in the kQuads
// layout (AVX-512 VNNI; Q4_0, Q4_K or Q6_K; rows a multiple of 4) than as
// stored.
bool DecodesFasterAsQuads(const WeightMatrix& w);

}  // namespace vigil::kernels
