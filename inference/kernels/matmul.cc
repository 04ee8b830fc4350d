// SPDX-License-Identifier: Apache-2.0
// MatMul entry point: validates, then dispatches to the per-target kernels.
#include "inference/kernels/matmul.h"

#include <vector>

#include "common/check.h"
#include "inference/kernels/ops.h"
#include "inference/kernels/scalar_ref.h"

namespace vigil::kernels {

void MatMul(const WeightMatrix& w, const float* x, size_t n_tokens, float* y,
            ThreadPool& pool, MatMulPrecision precision) {
  VIGIL_CHECK(IsKernelSupported(w.type));
  pool.ParallelFor(w.rows, 4, [&](size_t begin, size_t end, int) {
    std::vector<float> row(w.cols);
    for (size_t r = begin; r < end; ++r) {
      const auto* src = static_cast<const uint8_t*>(w.data) + r * w.row_bytes;
      ref::DequantizeRow(w.type, src, w.cols, row.data());
      for (size_t t = 0; t < n_tokens; ++t) {
        y[t * w.rows + r] = Dot(row.data(), x + t * w.cols, w.cols);
      }
    }
  });
}

void DequantizeRow(const WeightMatrix& w, size_t row, float* out) {
  VIGIL_CHECK(IsKernelSupported(w.type) && row < w.rows);
  const auto* src = static_cast<const uint8_t*>(w.data) + row * w.row_bytes;
  ref::DequantizeRow(w.type, src, w.cols, out);
}

}  // namespace vigil::kernels
