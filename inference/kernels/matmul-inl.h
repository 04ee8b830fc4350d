// SPDX-License-Identifier: Apache-2.0
// Per-target MatMul: register-tiled micro-kernels (kR weight rows x kT token
// rows) over rows decoded once per token chunk (matmul_decode-inl.h), so each
// decoded weight row is reused across many tokens during prefill and each
// weight byte is streamed once during decode.
#if defined(VIGIL_KERNELS_MATMUL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_INL_H_
#undef VIGIL_KERNELS_MATMUL_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_INL_H_
#endif

#include <algorithm>
#include <vector>

#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/matmul_decode-inl.h"
#include "inference/kernels/matmul_float-inl.h"
#include "inference/kernels/matmul_sdot-inl.h"
#include "inference/kernels/matmul_vnni-inl.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/kernels/weight_layout.h"

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

// Rows x tokens per micro-kernel; 2x4 needs ~24 vector registers.
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM
inline constexpr size_t kTileRows = 2;
#else
inline constexpr size_t kTileRows = 1;
#endif
inline constexpr size_t kTileTokens = 4;
// Token rows whose activations stay cache resident while rows stream by.
inline constexpr size_t kActBytesPerChunk = 256 * 1024;

// Activations quantized per token: int16 values, one scale per group and the
// scaled sums of each 32-element run (for weight mins).
struct QuantActs {
  size_t cols = 0, group = 32;
  std::vector<int16_t> q;
  std::vector<float> d, sum;
  const int16_t* Q(size_t t) const { return q.data() + t * cols; }
  const float* D(size_t t) const { return d.data() + t * (cols / group); }
  const float* S(size_t t) const { return sum.data() + t * (cols / 32); }
};

inline void QuantizeToken(const float* x, size_t t, QuantActs& a) {
  int16_t* q = a.q.data() + t * a.cols;
  float* d = a.d.data() + t * (a.cols / a.group);
  float* s = a.sum.data() + t * (a.cols / 32);
  if (a.group == 256) {
    gguf::BlockQ8_K blk;
    for (size_t b = 0; b < a.cols / 256; ++b) {
      ref::QuantizeRowQ8_K(x + 256 * b, 256, &blk);
      for (int i = 0; i < 256; ++i) q[256 * b + i] = blk.qs[i];
      d[b] = blk.d;
      for (int j = 0; j < 8; ++j) {
        s[8 * b + j] = blk.d * (blk.bsums[2 * j] + blk.bsums[2 * j + 1]);
      }
    }
    return;
  }
  gguf::BlockQ8_0 blk;
  for (size_t b = 0; b < a.cols / 32; ++b) {
    ref::QuantizeRowQ8_0(x + 32 * b, 32, &blk);
    int sum = 0;
    for (int i = 0; i < 32; ++i) {
      q[32 * b + i] = blk.qs[i];
      sum += blk.qs[i];
    }
    d[b] = F16ToF32(blk.d);
    s[b] = d[b] * sum;
  }
}

// out[r * kTileTokens + t] = sum over groups of scale_r * d_t * <q_r, a_t>.
template <size_t kR, size_t kT>
HWY_NOINLINE void TileI16(const DecodedRow* w, const QuantActs& a,
                          const size_t* tok, float* out) {
  const D16 d16;
  const hn::Repartition<int32_t, D16> d32;
  const hn::Rebind<float, decltype(d32)> df;
  using VF = hn::Vec<decltype(df)>;
  using VI = hn::Vec<decltype(d32)>;
  const size_t N = hn::Lanes(d16), G = a.group;
  const int16_t* aq[kT];
  const float* ad[kT];
  for (size_t t = 0; t < kT; ++t) {
    aq[t] = a.Q(tok[t]);
    ad[t] = a.D(tok[t]);
  }
  VF acc[kR][kT];
  for (size_t r = 0; r < kR; ++r)
    for (size_t t = 0; t < kT; ++t) acc[r][t] = hn::Zero(df);
  for (size_t g = 0; g < a.cols / G; ++g) {
    VI s0[kR][kT], s1[kR][kT];
    for (size_t r = 0; r < kR; ++r)
      for (size_t t = 0; t < kT; ++t) s0[r][t] = s1[r][t] = hn::Zero(d32);
    for (size_t k = g * G; k < (g + 1) * G; k += N) {
      V16 wv[kR];
      for (size_t r = 0; r < kR; ++r) wv[r] = hn::LoadU(d16, w[r].q + k);
      for (size_t t = 0; t < kT; ++t) {
        const V16 av = hn::LoadU(d16, aq[t] + k);
        for (size_t r = 0; r < kR; ++r) {
          s0[r][t] = hn::ReorderWidenMulAccumulate(d32, wv[r], av, s0[r][t],
                                                   s1[r][t]);
        }
      }
    }
    for (size_t r = 0; r < kR; ++r) {
      for (size_t t = 0; t < kT; ++t) {
        const VF scale = hn::Set(df, w[r].scale[g] * ad[t][g]);
        acc[r][t] = hn::MulAdd(hn::ConvertTo(df, hn::Add(s0[r][t], s1[r][t])),
                               scale, acc[r][t]);
      }
    }
  }
  for (size_t r = 0; r < kR; ++r)
    for (size_t t = 0; t < kT; ++t)
      out[r * kTileTokens + t] = hn::GetLane(hn::SumOfLanes(df, acc[r][t]));
}

// Per-thread decode buffers; grown on demand, reused across calls.
struct RowScratch {
  std::vector<int16_t> q;
  std::vector<float> scale, min;
};
inline RowScratch& ThreadScratch() {
  thread_local RowScratch s;
  return s;
}

inline bool HasMins(gguf::GgmlType t) {
  return t == gguf::GgmlType::kQ4_1 || t == gguf::GgmlType::kQ5_1 ||
         t == gguf::GgmlType::kQ4_K || t == gguf::GgmlType::kQ5_K;
}

// Clamps tile indices so tails reuse valid rows/tokens; extras are not stored.
inline void TileIndices(size_t first, size_t count, size_t limit, size_t* idx) {
  for (size_t i = 0; i < count; ++i) idx[i] = std::min(first + i, limit - 1);
}

struct MatMulArgs {
  const WeightMatrix* w;
  const float* x;
  size_t n_tokens;
  float* y;
  const QuantActs* acts;
};

// Decodes `kTileRows` rows starting at `r0` and runs every token tile of
// [t_begin, t_end) over them (int16 path of targets without VNNI).
inline void RowTile(const MatMulArgs& m, size_t r0, size_t t_begin,
                    size_t t_end, RowScratch& s) {
  constexpr size_t kR = kTileRows;
  const WeightMatrix& w = *m.w;
  size_t rows[kR], tok[kTileTokens];
  TileIndices(r0, kR, w.rows, rows);
  DecodedRow dec[kR];
  const size_t cols = w.cols;
  for (size_t r = 0; r < kR; ++r) {
    const uint8_t* src = RowBlocks(w, rows[r]);
    dec[r] = {s.q.data() + r * cols, s.scale.data() + r * (cols / 32),
              s.min.data() + r * (cols / 32)};
    DecodeRowI16(w.type, src, cols, dec[r]);
  }
  const bool mins = HasMins(w.type);
  float out[kR * kTileTokens];
  for (size_t t0 = t_begin; t0 < t_end;) {
    // Full token tiles, then single tokens (decode runs 1 x kR).
    const size_t kT = t_end - t0 >= kTileTokens ? kTileTokens : 1;
    TileIndices(t0, kT, t_end, tok);
    if (kT == kTileTokens) TileI16<kR, kTileTokens>(dec, *m.acts, tok, out);
    else TileI16<kR, 1>(dec, *m.acts, tok, out);
    for (size_t r = 0; r < kR && r0 + r < w.rows; ++r) {
      for (size_t t = 0; t < kT && t0 + t < t_end; ++t) {
        float v = out[r * kTileTokens + t];
        if (mins) {
          const float* as = m.acts->S(t0 + t);
          for (size_t j = 0; j < cols / 32; ++j) v += dec[r].min[j] * as[j];
        }
        m.y[(t0 + t) * w.rows + r0 + r] = v;
      }
    }
    t0 += kT;
  }
}

// float32 products: F32/F16/BF16 weights or the kFloat32 precision.
inline void FloatMatMul(const WeightMatrix& w, const float* x, size_t n_tokens,
                        float* y, ThreadPool& pool) {
  const bool is_float = w.type == gguf::GgmlType::kF32 ||
                        w.type == gguf::GgmlType::kF16 ||
                        w.type == gguf::GgmlType::kBF16;
  if (n_tokens == 1 && is_float) {
    pool.ParallelFor((w.rows + 3) / 4, 1, [&](size_t b, size_t e, int) {
      FloatRowsDecode(w, x, 4 * b, std::min(4 * e, w.rows), y);
    });
    return;
  }
  FloatPanelsMatMul(w, x, n_tokens, y, pool);
}

// int8/int16 products with activations quantized per block (Q8_0 / Q8_K).
inline void QuantMatMul(const WeightMatrix& w, const float* x, size_t n_tokens,
                        float* y, ThreadPool& pool) {
#if HWY_TARGET == HWY_AVX3_DL
  return MatMulVnni(w, x, n_tokens, y, pool);
#else
#if HWY_TARGET == HWY_NEON && defined(__aarch64__) && \
    defined(__ARM_FEATURE_DOTPROD)
  if (n_tokens > 1) return MatMulSdot(w, x, n_tokens, y, pool);
#endif
  // A thread_local named inside a lambda would resolve to the worker's own
  // instance, so the workers get this reference instead.
  thread_local QuantActs caller_acts;
  QuantActs& acts = caller_acts;
  acts.cols = w.cols;
  acts.group = GetKernelTypeInfo(w.type).block_elems == 256 ? 256 : 32;
  acts.q.resize(n_tokens * w.cols);
  acts.d.resize(n_tokens * (w.cols / acts.group));
  acts.sum.resize(n_tokens * (w.cols / 32));
  pool.ParallelFor(n_tokens, 1, [&](size_t b, size_t e, int) {
    for (size_t t = b; t < e; ++t) QuantizeToken(x + t * w.cols, t, acts);
  });
  const MatMulArgs args{&w, x, n_tokens, y, &acts};
  const size_t chunk = std::max<size_t>(
      kTileTokens, kActBytesPerChunk / (w.cols * 2) / kTileTokens * kTileTokens);
  const size_t n_tiles = (w.rows + kTileRows - 1) / kTileRows;
  pool.ParallelFor(n_tiles, 1, [&](size_t b, size_t e, int) {
    RowScratch& s = ThreadScratch();
    const size_t need = kTileRows * w.cols;
    if (s.q.size() < need) s.q.resize(need);
    if (s.scale.size() < need / 32) s.scale.resize(need / 32);
    if (s.min.size() < need / 32) s.min.resize(need / 32);
    for (size_t t0 = 0; t0 < n_tokens; t0 += chunk) {
      const size_t t1 = std::min(n_tokens, t0 + chunk);
      for (size_t tile = b; tile < e; ++tile) RowTile(args, tile * kTileRows, t0, t1, s);
    }
  });
#endif
}

inline void MatMulImpl(const WeightMatrix& w, const float* x, size_t n_tokens,
                       float* y, ThreadPool& pool, MatMulPrecision precision) {
  const bool is_float = w.type == gguf::GgmlType::kF32 ||
                        w.type == gguf::GgmlType::kF16 ||
                        w.type == gguf::GgmlType::kBF16;
  if (precision == MatMulPrecision::kFloat32 || is_float) {
    return FloatMatMul(w, x, n_tokens, y, pool);
  }
  QuantMatMul(w, x, n_tokens, y, pool);
}

inline bool DecodesFasterAsQuadsImpl(const WeightMatrix& w) {
#if HWY_TARGET == HWY_AVX3_DL
  return FitsQuads(w);
#else
  (void)w;
  return false;
#endif
}

inline void DequantizeRowImpl(const WeightMatrix& w, size_t row, float* out) {
  DecodeRowF32(w.type, RowBlocks(w, row), w.cols, out);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_MATMUL_INL_H_
