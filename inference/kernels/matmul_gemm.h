// SPDX-License-Identifier: Apache-2.0
// Float32 GEMM for F32/F16/BF16 weights times many tokens; `MatMul` routes
// such products here. Same contract as `MatMul` (matmul.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "inference/gguf/types.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"

namespace vigil::kernels {

inline bool IsFloatWeight(gguf::GgmlType t) {
  return t == gguf::GgmlType::kF32 || t == gguf::GgmlType::kF16 ||
         t == gguf::GgmlType::kBF16;
}

// How F16/BF16 weights meet the activations. kBFloat16 uses bfloat16 dot
// products where the CPU has them (AVX512-BF16, twice the float32 rate):
// weights and activations rounded to bfloat16 (relative error <= 2^-9 per
// operand), float32 accumulation. F32 weights always use float32 products.
enum class GemmProducts { kFloat32, kBFloat16 };

// y[t * w.rows + r] = <row r of w, x[t * w.cols ...]> for t < n_tokens.
// Requires IsFloatWeight(w.type); float32 accumulation.
void FloatGemm(const WeightMatrix& w, const float* x, size_t n_tokens,
               float* y, ThreadPool& pool,
               GemmProducts products = GemmProducts::kFloat32);

// Pre-packed float matrices, for operands reused across many calls
// (attention packs each head's keys and values once for all query blocks).
// Floats `PackGemm` writes for a rows x cols matrix.
size_t GemmPackedFloats(size_t rows, size_t cols);

// Packs the rows x cols matrix whose element (r, k) is
// src[r * row_stride + k * col_stride] into `out` (GemmPackedFloats).
void PackGemm(const float* src, size_t row_stride, size_t col_stride,
              size_t rows, size_t cols, float* out);

// y[t * y_stride + r] = <packed row r, x[t * x_stride ...]> for r < rows,
// t < n_tokens, on the calling thread (callers parallelize outside).
// `Packed` is float (PackGemm) or uint16_t (bfloat16, PackGemmBf16).
template <typename Packed>
struct PackedOperandArgs {
  const Packed* packed = nullptr;
  size_t rows = 0, cols = 0;
  const float* x = nullptr;
  size_t x_stride = 0, n_tokens = 0;
  float* y = nullptr;
  size_t y_stride = 0;
};
using PackedGemmArgs = PackedOperandArgs<float>;
void PackedGemm(const PackedGemmArgs& a);

// The same with bfloat16 operands and products (GemmProducts::kBFloat16),
// only where HasBf16Products(): `PackGemmBf16` writes GemmPackedBf16s
// uint16 values; `PackedGemmBf16` rounds the token rows to bfloat16.
bool HasBf16Products();
size_t GemmPackedBf16s(size_t rows, size_t cols);
void PackGemmBf16(const float* src, size_t row_stride, size_t col_stride,
                  size_t rows, size_t cols, uint16_t* out);
using PackedBf16GemmArgs = PackedOperandArgs<uint16_t>;
void PackedGemmBf16(const PackedBf16GemmArgs& a);

}  // namespace vigil::kernels
