// SPDX-License-Identifier: Apache-2.0
#include "inference/weights/tower_ops.h"

#include <algorithm>

#include "inference/kernels/ops.h"

namespace vigil::weights {
namespace {

void ClampRows(kernels::ThreadPool& pool, float* rows, size_t n, size_t width,
               float lo, float hi) {
  ForEachRow(pool, n, width, [&](size_t r) {
    float* row = rows + r * width;
    for (size_t i = 0; i < width; ++i) row[i] = std::clamp(row[i], lo, hi);
  });
}

}  // namespace

void ClampedMatMul(const ClampedLinear& l, float* x, size_t rows, float* y,
                   kernels::ThreadPool& pool,
                   kernels::MatMulPrecision precision) {
  if (l.clamps_input()) ClampRows(pool, x, rows, l.w.cols, l.in_min, l.in_max);
  kernels::MatMul(l.w, x, rows, y, pool, precision);
  if (l.clamps_output()) {
    ClampRows(pool, y, rows, l.w.rows, l.out_min, l.out_max);
  }
}

void RmsNormRows(kernels::ThreadPool& pool, const float* in,
                 const float* weight, size_t rows, size_t width, float eps,
                 float* out) {
  ForEachRow(pool, rows, width, [&](size_t r) {
    kernels::RmsNorm(in + r * width, weight, width, eps, out + r * width);
  });
}

}  // namespace vigil::weights
