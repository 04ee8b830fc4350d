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
#include "inference/kernels/matmul_gemm_bf16-inl.h"

#if HWY_ONCE
#include "common/check.h"

namespace vigil::kernels {

HWY_EXPORT(FloatGemmImpl);
HWY_EXPORT(Bf16GemmImpl);
HWY_EXPORT(HasBf16ProductsImpl);
HWY_EXPORT(GemmPackedBf16sImpl);
HWY_EXPORT(PackGemmBf16Impl);
HWY_EXPORT(PackedGemmBf16Impl);
HWY_EXPORT(GemmPackedFloatsImpl);
HWY_EXPORT(PackGemmImpl);
HWY_EXPORT(PackedGemmImpl);

size_t GemmPackedFloats(size_t rows, size_t cols) {
  return HWY_DYNAMIC_DISPATCH(GemmPackedFloatsImpl)(rows, cols);
}

void PackGemm(const float* src, size_t row_stride, size_t col_stride,
              size_t rows, size_t cols, float* out) {
  HWY_DYNAMIC_DISPATCH(PackGemmImpl)(src, row_stride, col_stride, rows, cols,
                                     out);
}

void PackedGemm(const PackedGemmArgs& a) {
  if (a.rows == 0 || a.n_tokens == 0) return;
  VIGIL_CHECK(a.cols > 0);
  HWY_DYNAMIC_DISPATCH(PackedGemmImpl)(a.packed, a.rows, a.cols, a.x,
                                       a.x_stride, a.n_tokens, a.y,
                                       a.y_stride);
}

bool HasBf16Products() {
  static const bool has = HWY_DYNAMIC_DISPATCH(HasBf16ProductsImpl)();
  return has;
}

size_t GemmPackedBf16s(size_t rows, size_t cols) {
  return HWY_DYNAMIC_DISPATCH(GemmPackedBf16sImpl)(rows, cols);
}

void PackGemmBf16(const float* src, size_t row_stride, size_t col_stride,
                  size_t rows, size_t cols, uint16_t* out) {
  VIGIL_CHECK(HasBf16Products());
  HWY_DYNAMIC_DISPATCH(PackGemmBf16Impl)(src, row_stride, col_stride, rows,
                                         cols, out);
}

void PackedGemmBf16(const PackedBf16GemmArgs& a) {
  VIGIL_CHECK(HasBf16Products());
  if (a.rows == 0 || a.n_tokens == 0) return;
  VIGIL_CHECK(a.cols > 0);
  HWY_DYNAMIC_DISPATCH(PackedGemmBf16Impl)(a.packed, a.rows, a.cols, a.x,
                                           a.x_stride, a.n_tokens, a.y,
                                           a.y_stride);
}

void FloatGemm(const WeightMatrix& w, const float* x, size_t n_tokens,
               float* y, ThreadPool& pool, GemmProducts products) {
  VIGIL_CHECK(IsFloatWeight(w.type));
  VIGIL_CHECK(w.row_bytes >= w.cols * (w.type == gguf::GgmlType::kF32 ? 4 : 2));
  if (w.rows == 0 || n_tokens == 0) return;
  if (products == GemmProducts::kBFloat16 &&
      HWY_DYNAMIC_DISPATCH(Bf16GemmImpl)(w, x, n_tokens, y, pool)) {
    return;
  }
  HWY_DYNAMIC_DISPATCH(FloatGemmImpl)(w, x, n_tokens, y, pool);
}

}  // namespace vigil::kernels
#endif  // HWY_ONCE
