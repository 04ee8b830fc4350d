// SPDX-License-Identifier: Apache-2.0
// Dispatch for the vectorized hot ops of ops.h (per-target code: ops-inl.h).
#include "inference/kernels/ops.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "inference/kernels/ops_simd.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "inference/kernels/ops-inl.h"

#if HWY_ONCE
namespace vigil::kernels {

HWY_EXPORT(RmsNormImpl);
HWY_EXPORT(GeluMulImpl);
HWY_EXPORT(SoftmaxImpl);

void RmsNorm(const float* x, const float* w, size_t n, float eps, float* out) {
  HWY_DYNAMIC_DISPATCH(RmsNormImpl)(x, w, n, eps, out);
}

void GeluTanh(const float* x, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(GeluMulImpl)(x, nullptr, n, out);
}

void GeluMul(const float* gate, const float* up, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(GeluMulImpl)(gate, up, n, out);
}

void Softmax(float* x, size_t n) { HWY_DYNAMIC_DISPATCH(SoftmaxImpl)(x, n); }

}  // namespace vigil::kernels
#endif  // HWY_ONCE
