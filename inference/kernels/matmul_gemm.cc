// SPDX-License-Identifier: Apache-2.0
// FloatGemm entry point: dispatches once per call to the best compiled target
// (matmul_gemm-inl.h).
#include "inference/kernels/matmul_gemm.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "inference/kernels/matmul_gemm.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "inference/kernels/matmul_gemm-inl.h"

#if HWY_ONCE
#include "common/check.h"

namespace vigil::kernels {

HWY_EXPORT(FloatGemmImpl);

void FloatGemm(const WeightMatrix& w, const float* x, size_t n_tokens,
               float* y, ThreadPool& pool) {
  VIGIL_CHECK(IsFloatWeight(w.type));
  VIGIL_CHECK(w.row_bytes >= w.cols * (w.type == gguf::GgmlType::kF32 ? 4 : 2));
  if (w.rows == 0 || n_tokens == 0) return;
  HWY_DYNAMIC_DISPATCH(FloatGemmImpl)(w, x, n_tokens, y, pool);
}

}  // namespace vigil::kernels
#endif  // HWY_ONCE
