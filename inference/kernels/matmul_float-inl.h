// SPDX-License-Identifier: Apache-2.0
// Per-target float32 MatMul (F32/F16/BF16 weights, and the kFloat32
// reference precision for quantized ones). Prefill: weight rows are decoded
// once per call into panels of N rows (N = float lanes) stored column-major,
// so one vector holds one column of N rows and each activation element is a
// broadcast; kP panels x kT tokens of accumulators stay in registers.
// Decode: 4 rows at a time straight from the weights, converted in registers.
#if defined(VIGIL_KERNELS_MATMUL_FLOAT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_FLOAT_INL_H_
#undef VIGIL_KERNELS_MATMUL_FLOAT_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_FLOAT_INL_H_
#endif

#include <algorithm>
#include <vector>

#include "hwy/aligned_allocator.h"
#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/weight_layout.h"
#include "inference/kernels/matmul_decode-inl.h"

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

using DF = hn::ScalableTag<float>;
inline constexpr size_t kFloatPanels = 2;
// 2 x 6 accumulators fit AVX-512's 32 registers; 2 x 4 the 16 of AVX2/SSE4.
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM
inline constexpr size_t kFloatTokens = 6;
#else
inline constexpr size_t kFloatTokens = 4;
#endif

// out[p * kT + t] = panel p (N rows) times token xt[t], N lanes each.
template <size_t kT>
HWY_NOINLINE void FloatTile(const float* const* panels, const float* const* xt,
                            size_t cols, float* out) {
  const DF df;
  using V = hn::Vec<DF>;
  const size_t N = hn::Lanes(df);
  constexpr size_t kP = kFloatPanels;
  V acc[kP][kT];
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) acc[p][t] = hn::Zero(df);
  for (size_t k = 0; k < cols; ++k) {
    V w[kP];
    for (size_t p = 0; p < kP; ++p) w[p] = hn::Load(df, panels[p] + k * N);
    for (size_t t = 0; t < kT; ++t) {
      const V xb = hn::Set(df, xt[t][k]);
      for (size_t p = 0; p < kP; ++p) acc[p][t] = hn::MulAdd(w[p], xb, acc[p][t]);
    }
  }
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) hn::Store(acc[p][t], df, out + (p * kT + t) * N);
}

// Per-thread panel buffers; grown on demand, reused across calls.
struct FloatScratch {
  hwy::AlignedFreeUniquePtr<float[]> panels;
  size_t panels_size = 0;
  std::vector<float> row;
};
inline FloatScratch& FloatThreadScratch() {
  thread_local FloatScratch s;
  return s;
}

// Decodes rows [r0, r0 + kFloatPanels * N) (clamped) into column-major panels.
inline void PackFloatPanels(const WeightMatrix& w, size_t r0, FloatScratch& s) {
  const size_t N = hn::Lanes(DF());
  const size_t need = kFloatPanels * N * w.cols;
  if (s.panels_size < need) {
    s.panels = hwy::AllocateAligned<float>(need);
    s.panels_size = need;
  }
  if (s.row.size() < w.cols) s.row.resize(w.cols);
  for (size_t i = 0; i < kFloatPanels * N; ++i) {
    const size_t row = std::min(r0 + i, w.rows - 1);
    DecodeRowF32(w.type, RowBlocks(w, row), w.cols, s.row.data());
    float* panel = s.panels.get() + (i / N) * N * w.cols + i % N;
    for (size_t k = 0; k < w.cols; ++k) panel[k * N] = s.row[k];
  }
}

inline void FloatPanelsMatMul(const WeightMatrix& w, const float* x,
                              size_t n_tokens, float* y, ThreadPool& pool) {
  const size_t N = hn::Lanes(DF());
  constexpr size_t kT = kFloatTokens;
  const size_t unit_rows = kFloatPanels * N;
  const size_t n_units = (w.rows + unit_rows - 1) / unit_rows;
  pool.ParallelFor(n_units, 1, [&](size_t b, size_t e, int) {
    FloatScratch& s = FloatThreadScratch();
    HWY_ALIGN float out[kFloatPanels * kT * hn::MaxLanes(DF())];
    for (size_t u = b; u < e; ++u) {
      const size_t r0 = u * unit_rows;
      PackFloatPanels(w, r0, s);
      const float* panels[kFloatPanels];
      for (size_t p = 0; p < kFloatPanels; ++p) {
        panels[p] = s.panels.get() + p * N * w.cols;
      }
      for (size_t t0 = 0; t0 < n_tokens; t0 += kT) {
        const float* xt[kT];
        for (size_t t = 0; t < kT; ++t) {
          xt[t] = x + std::min(t0 + t, n_tokens - 1) * w.cols;
        }
        FloatTile<kT>(panels, xt, w.cols, out);
        for (size_t p = 0; p < kFloatPanels; ++p) {
          for (size_t t = 0; t < kT && t0 + t < n_tokens; ++t) {
            for (size_t i = 0; i < N && r0 + p * N + i < w.rows; ++i) {
              y[(t0 + t) * w.rows + r0 + p * N + i] = out[(p * kT + t) * N + i];
            }
          }
        }
      }
    }
  });
}

// Returns lanes [k, k + N) of a float-type row as float32.
HWY_INLINE hn::Vec<DF> LoadFloatRow(gguf::GgmlType type, const uint8_t* row,
                                    size_t k) {
  const DF df;
  if (type == gguf::GgmlType::kBF16) {
    const hn::Rebind<hwy::bfloat16_t, DF> dbf;
    return hn::PromoteTo(
        df, hn::LoadU(dbf, reinterpret_cast<const hwy::bfloat16_t*>(row) + k));
  }
  if (type == gguf::GgmlType::kF16) {
    const hn::Rebind<hwy::float16_t, DF> dh;
    return hn::PromoteTo(
        df, hn::LoadU(dh, reinterpret_cast<const hwy::float16_t*>(row) + k));
  }
  return hn::LoadU(df, reinterpret_cast<const float*>(row) + k);
}

inline float FloatElem(gguf::GgmlType type, const uint8_t* row, size_t j) {
  if (type == gguf::GgmlType::kBF16) return Bf16ToF32(LoadU16(row + 2 * j));
  if (type == gguf::GgmlType::kF16) return F16ToF32(LoadU16(row + 2 * j));
  float f;
  std::memcpy(&f, row + 4 * j, 4);
  return f;
}

// y[r] = <row r, x> for F32/F16/BF16 rows [begin, end), 4 rows per pass.
inline void FloatRowsDecode(const WeightMatrix& w, const float* x, size_t begin,
                            size_t end, float* y) {
  const DF df;
  const size_t N = hn::Lanes(df);
  const auto* base = static_cast<const uint8_t*>(w.data);
  for (size_t r0 = begin; r0 < end; r0 += 4) {
    const uint8_t* rows[4];
    for (size_t i = 0; i < 4; ++i) {
      rows[i] = base + std::min(r0 + i, end - 1) * w.row_bytes;
    }
    hn::Vec<DF> acc[4] = {hn::Zero(df), hn::Zero(df), hn::Zero(df), hn::Zero(df)};
    // The 4 rows are one contiguous stream; prefetch it 12 KiB ahead into L2
    // (decode streams the whole matrix from DRAM once per token).
    const size_t step_bytes = 4 * N * (w.row_bytes / w.cols);
    const uint8_t* ahead = rows[0] + 12288;
    const uint8_t* stream_end = base + end * w.row_bytes;
    size_t k = 0;
    for (; k + N <= w.cols; k += N, ahead += step_bytes) {
      for (size_t off = 0; off < step_bytes && ahead < stream_end; off += 64) {
        __builtin_prefetch(ahead + off, 0, 2);
      }
      const auto xv = hn::LoadU(df, x + k);
      for (size_t i = 0; i < 4; ++i) {
        acc[i] = hn::MulAdd(LoadFloatRow(w.type, rows[i], k), xv, acc[i]);
      }
    }
    for (size_t i = 0; i < 4 && r0 + i < end; ++i) {
      float sum = hn::GetLane(hn::SumOfLanes(df, acc[i]));
      for (size_t j = k; j < w.cols; ++j) sum += x[j] * FloatElem(w.type, rows[i], j);
      y[r0 + i] = sum;
    }
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_MATMUL_FLOAT_INL_H_
