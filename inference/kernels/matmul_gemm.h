// SPDX-License-Identifier: Apache-2.0
// Float32 GEMM for F32/F16/BF16 weights times many tokens; `MatMul` routes
// such products here. Same contract as `MatMul` (matmul.h).
#pragma once

#include <cstddef>

#include "inference/gguf/types.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"

namespace vigil::kernels {

inline bool IsFloatWeight(gguf::GgmlType t) {
  return t == gguf::GgmlType::kF32 || t == gguf::GgmlType::kF16 ||
         t == gguf::GgmlType::kBF16;
}

// y[t * w.rows + r] = <row r of w, x[t * w.cols ...]> for t < n_tokens.
// Requires IsFloatWeight(w.type); float32 products, float32 accumulation.
void FloatGemm(const WeightMatrix& w, const float* x, size_t n_tokens,
               float* y, ThreadPool& pool);

}  // namespace vigil::kernels
