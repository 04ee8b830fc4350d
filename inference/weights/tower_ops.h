// SPDX-License-Identifier: Apache-2.0
// Row-parallel steps the vision and audio encoder towers share: a loop over
// rows split over the pool when worth it, the clamped linear and row-wise
// RMSNorm. Activations are row-major, one row per patch or time step.
#pragma once

#include <cstddef>

#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"
#include "inference/weights/tensor_binder.h"

namespace vigil::weights {

// Calls fn(i) for i < count, split over `pool` when count * work_per_item
// (about the floats touched) pays for the hand-off.
template <typename Fn>
void ForEachRow(kernels::ThreadPool& pool, size_t count, size_t work_per_item,
                Fn&& fn) {
  if (pool.size() == 1 || count * work_per_item < (size_t{1} << 15)) {
    for (size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  pool.ParallelFor(count, 1, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) fn(i);
  });
}

// y = clamp(W clamp(x)) for `rows` rows. The input clamp writes into `x` on
// purpose: llama.cpp's clamp is in place, so it also reaches linears that
// read the same tensor later (ref/README.md note 6).
void ClampedMatMul(const ClampedLinear& l, float* x, size_t rows, float* y,
                   kernels::ThreadPool& pool,
                   kernels::MatMulPrecision precision);

// Row-wise RMSNorm of `rows` rows of `width` (`weight` may be nullptr).
void RmsNormRows(kernels::ThreadPool& pool, const float* in,
                 const float* weight, size_t rows, size_t width, float eps,
                 float* out);

}  // namespace vigil::weights
