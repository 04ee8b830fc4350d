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
HWY_EXPORT(SoftCapImpl);
HWY_EXPORT(DotImpl);
HWY_EXPORT(AxpyImpl);
HWY_EXPORT(DotRowsImpl);
HWY_EXPORT(AddWeightedRowsImpl);

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

void SoftCap(float* x, size_t n, float cap) {
  HWY_DYNAMIC_DISPATCH(SoftCapImpl)(x, n, cap);
}

float Dot(const float* a, const float* b, size_t n) {
  return HWY_DYNAMIC_DISPATCH(DotImpl)(a, b, n);
}

void Axpy(float a, const float* x, size_t n, float* y) {
  HWY_DYNAMIC_DISPATCH(AxpyImpl)(a, x, n, y);
}

void DotRows(const float* q, const float* rows, size_t stride, size_t n_rows,
             size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(DotRowsImpl)(q, rows, stride, n_rows, n, out);
}

void AddWeightedRows(const float* w, const float* rows, size_t stride,
                     size_t n_rows, size_t n, float* y) {
  HWY_DYNAMIC_DISPATCH(AddWeightedRowsImpl)(w, rows, stride, n_rows, n, y);
}

}  // namespace vigil::kernels
#endif  // HWY_ONCE
