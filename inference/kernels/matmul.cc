// SPDX-License-Identifier: Apache-2.0
// MatMul entry points: checks the arguments, then dispatches once per call to
// the best compiled target (matmul-inl.h).
#include "inference/kernels/matmul.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "inference/kernels/matmul.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "inference/kernels/matmul-inl.h"

#if HWY_ONCE
#include "common/check.h"
#include "inference/kernels/matmul_gemm.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/kernels/weight_layout.h"

namespace vigil::kernels {

Status ValidateWeight(const WeightMatrix& w, const std::string& name) {
  const KernelTypeInfo info = GetKernelTypeInfo(w.type);
  if (info.block_elems == 0) {
    return Unsupported("tensor '" + name + "' has ggml type " +
                       std::to_string(static_cast<uint32_t>(w.type)) +
                       ", which the kernels cannot compute with");
  }
  if (w.cols % info.block_elems != 0) {
    return InvalidArgument("tensor '" + name + "' has " +
                           std::to_string(w.cols) + " columns; expected a multiple of " +
                           std::to_string(info.block_elems));
  }
  const size_t need = w.cols / info.block_elems * info.block_bytes;
  if (w.row_bytes < need) {
    return InvalidArgument("tensor '" + name + "' rows are " +
                           std::to_string(w.row_bytes) + " bytes; expected >= " +
                           std::to_string(need));
  }
  if (w.data == nullptr && w.rows != 0) {
    return InvalidArgument("tensor '" + name + "' has no data");
  }
  if (w.layout == RowLayout::kQuads &&
      !FitsQuads(WeightMatrix{w.type, w.data, w.rows, w.cols, w.row_bytes})) {
    return InvalidArgument("tensor '" + name +
                           "' is in the quads layout, which needs Q4_0, Q4_K or Q6_K rows in fours");
  }
  return OkStatus();
}

HWY_EXPORT(MatMulImpl);
HWY_EXPORT(DequantizeRowImpl);

void MatMul(const WeightMatrix& w, const float* x, size_t n_tokens, float* y,
            ThreadPool& pool, MatMulPrecision precision) {
  const KernelTypeInfo info = GetKernelTypeInfo(w.type);
  VIGIL_CHECK(info.block_elems != 0);
  VIGIL_CHECK(w.cols % info.block_elems == 0);
  VIGIL_CHECK(w.row_bytes >= w.cols / info.block_elems * info.block_bytes);
  if (w.rows == 0 || n_tokens == 0) return;
  // Float weights times many tokens: the register-blocked GEMM.
  if (n_tokens > 1 && IsFloatWeight(w.type)) {
    return FloatGemm(w, x, n_tokens, y, pool,
                     precision == MatMulPrecision::kQuantizedActivations
                         ? GemmProducts::kBFloat16
                         : GemmProducts::kFloat32);
  }
  HWY_DYNAMIC_DISPATCH(MatMulImpl)(w, x, n_tokens, y, pool, precision);
}

HWY_EXPORT(DecodesFasterAsQuadsImpl);

bool DecodesFasterAsQuads(const WeightMatrix& w) {
  return HWY_DYNAMIC_DISPATCH(DecodesFasterAsQuadsImpl)(w);
}

void DequantizeRow(const WeightMatrix& w, size_t row, float* out) {
  const KernelTypeInfo info = GetKernelTypeInfo(w.type);
  VIGIL_CHECK(info.block_elems != 0 && w.cols % info.block_elems == 0);
  VIGIL_CHECK(row < w.rows);
  HWY_DYNAMIC_DISPATCH(DequantizeRowImpl)(w, row, out);
}

}  // namespace vigil::kernels
#endif  // HWY_ONCE
