// SPDX-License-Identifier: Apache-2.0
// bfloat16 GEMM for F16/BF16 weights times many tokens on CPUs with
// AVX512-BF16 (Zen 4, Sapphire Rapids): `vdpbf16ps` does two multiply-adds
// per lane, twice the float32 FMA rate. Weights and activations are rounded
// to bfloat16 (round to nearest even), products accumulate in float32 — as
// llama.cpp rounds activations to the weight type. Same tiling as the float32
// GEMM (matmul_gemm-inl.h): units of 2 x 16 weight rows packed once per unit,
// 2 x 6 register tiles of tokens.
#if defined(VIGIL_KERNELS_MATMUL_GEMM_BF16_INL_H_) == \
    defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_GEMM_BF16_INL_H_
#undef VIGIL_KERNELS_MATMUL_GEMM_BF16_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_GEMM_BF16_INL_H_
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "hwy/aligned_allocator.h"
#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/matmul_decode-inl.h"
#include "inference/kernels/matmul_gemm-inl.h"

#if HWY_TARGET == HWY_AVX3_DL
#include <cpuid.h>
#include <immintrin.h>
#define VIGIL_BF16_ATTR __attribute__((target(HWY_TARGET_STR ",avx512bf16")))
#endif

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

#if HWY_TARGET == HWY_AVX3_DL

// CPUID leaf 7, sub-leaf 1, EAX bit 5 (AVX3_DL does not imply it: Ice Lake
// has VNNI but no BF16).
inline bool CpuHasAvx512Bf16() {
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid_count(7, 1, &a, &b, &c, &d) != 0 && ((a >> 5) & 1u) != 0;
  }();
  return has;
}

inline constexpr size_t kBf16Rows = 32;   // 2 panels of 16 weight rows
inline constexpr size_t kBf16Tokens = 6;  // 2 x 6 accumulators

// Float32 to bfloat16, round to nearest even (as vcvtneps2bf16).
inline uint16_t RoundToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

// x (n_tokens rows of `cols` floats) as bfloat16 rows of `pairs` * 2, the
// odd tail padded with zero.
VIGIL_BF16_ATTR inline void ActsToBf16(const float* x, size_t cols,
                                       size_t t0, size_t t1, size_t pairs,
                                       uint16_t* out) {
  for (size_t t = t0; t < t1; ++t) {
    const float* xr = x + t * cols;
    uint16_t* o = out + t * 2 * pairs;
    size_t k = 0;
    for (; k + 16 <= cols; k += 16) {
      const __m256bh v = _mm512_cvtneps_pbh(_mm512_loadu_ps(xr + k));
      std::memcpy(o + k, &v, 32);
    }
    for (; k < cols; ++k) o[k] = RoundToBf16(xr[k]);
    if (cols % 2 != 0) o[cols] = 0;
  }
}

// Per-thread packed unit: panel p holds, for each column pair kp, the 16
// rows' (k, k + 1) bfloat16 pairs — one 64-byte vector per pair.
struct Bf16Scratch {
  hwy::AlignedFreeUniquePtr<uint16_t[]> panels;
  size_t size = 0;
  std::vector<float> row;
  std::vector<uint16_t> row_bf16;
  uint64_t call = 0;
  size_t unit = ~size_t{0};
};

VIGIL_BF16_ATTR inline void Bf16Pack(const WeightMatrix& w, size_t r0,
                                     size_t pairs, Bf16Scratch& s) {
  const size_t need = kBf16Rows * 2 * pairs;
  if (s.size < need) {
    s.panels = hwy::AllocateAligned<uint16_t>(need);
    s.size = need;
  }
  if (s.row.size() < w.cols) s.row.resize(w.cols);
  if (s.row_bf16.size() < 2 * pairs) s.row_bf16.resize(2 * pairs);
  auto* panels = reinterpret_cast<uint32_t*>(s.panels.get());
  for (size_t i = 0; i < kBf16Rows; ++i) {
    const size_t row = std::min(r0 + i, w.rows - 1);
    DecodeRowF32(w.type, static_cast<const uint8_t*>(w.data) + row * w.row_bytes,
                 w.cols, s.row.data());
    ActsToBf16(s.row.data(), w.cols, 0, 1, pairs, s.row_bf16.data());
    // Row i's (k, k + 1) pairs go to lane i % 16 of panel i / 16.
    uint32_t* panel = panels + (i / 16) * 16 * pairs + i % 16;
    const auto* src = reinterpret_cast<const uint32_t*>(s.row_bf16.data());
    for (size_t kp = 0; kp < pairs; ++kp) panel[16 * kp] = src[kp];
  }
}

// y[t * stride + i] for the `valid` rows of the unit, kT tokens of `x`
// (bfloat16 rows of 2 * pairs).
template <size_t kT>
VIGIL_BF16_ATTR HWY_NOINLINE void Bf16Tile(const uint16_t* panels,
                                           size_t pairs, const uint16_t* x,
                                           float* y, size_t stride,
                                           size_t valid) {
  const uint16_t* p0 = panels;
  const uint16_t* p1 = panels + 32 * pairs;
  __m512 a0[kT], a1[kT];
  for (size_t t = 0; t < kT; ++t) a0[t] = a1[t] = _mm512_setzero_ps();
  for (size_t kp = 0; kp < pairs; ++kp) {
    const __m512bh w0 = (__m512bh)_mm512_loadu_si512(p0 + 32 * kp);
    const __m512bh w1 = (__m512bh)_mm512_loadu_si512(p1 + 32 * kp);
    for (size_t t = 0; t < kT; ++t) {
      uint32_t pair;
      std::memcpy(&pair, x + t * 2 * pairs + 2 * kp, 4);
      const __m512bh xb = (__m512bh)_mm512_set1_epi32(static_cast<int>(pair));
      a0[t] = _mm512_dpbf16_ps(a0[t], w0, xb);
      a1[t] = _mm512_dpbf16_ps(a1[t], w1, xb);
    }
  }
  const __mmask16 m0 = valid >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << valid) - 1);
  const __mmask16 m1 = valid >= 32 ? 0xFFFF
                       : valid <= 16 ? 0
                                     : static_cast<__mmask16>((1u << (valid - 16)) - 1);
  for (size_t t = 0; t < kT; ++t) {
    _mm512_mask_storeu_ps(y + t * stride, m0, a0[t]);
    _mm512_mask_storeu_ps(y + t * stride + 16, m1, a1[t]);
  }
}

VIGIL_BF16_ATTR inline void Bf16Tokens(const uint16_t* panels, size_t pairs,
                                       const uint16_t* xb, size_t t0,
                                       size_t t1, float* y, size_t stride,
                                       size_t valid) {
  const size_t xs = 2 * pairs;
  size_t t = t0;
  for (; t + kBf16Tokens <= t1; t += kBf16Tokens) {
    Bf16Tile<kBf16Tokens>(panels, pairs, xb + t * xs, y + t * stride, stride, valid);
  }
  const uint16_t* xt = xb + t * xs;
  float* yt = y + t * stride;
  switch (t1 - t) {  // the token tail, one tile of its exact size
    case 1: Bf16Tile<1>(panels, pairs, xt, yt, stride, valid); break;
    case 2: Bf16Tile<2>(panels, pairs, xt, yt, stride, valid); break;
    case 3: Bf16Tile<3>(panels, pairs, xt, yt, stride, valid); break;
    case 4: Bf16Tile<4>(panels, pairs, xt, yt, stride, valid); break;
    case 5: Bf16Tile<5>(panels, pairs, xt, yt, stride, valid); break;
    default: break;
  }
}

#endif  // HWY_TARGET == HWY_AVX3_DL

// Returns false, writing nothing, where this target or CPU has no bfloat16
// dot products (the caller then runs the float32 GEMM).
inline bool Bf16GemmImpl(const WeightMatrix& w, const float* x,
                         size_t n_tokens, float* y, ThreadPool& pool) {
#if HWY_TARGET == HWY_AVX3_DL
  if (!CpuHasAvx512Bf16() || w.type == gguf::GgmlType::kF32) return false;
  const size_t pairs = (w.cols + 1) / 2;
  thread_local std::vector<uint16_t> caller_xb;  // the caller's, by reference
  std::vector<uint16_t>& xb = caller_xb;
  if (xb.size() < n_tokens * 2 * pairs) xb.resize(n_tokens * 2 * pairs);
  pool.ParallelFor(n_tokens, 8, [&](size_t b, size_t e, int) {
    ActsToBf16(x, w.cols, b, e, pairs, xb.data());
  });
  // Units x token blocks, as FloatGemmImpl, so small matrices still spread.
  RunUnitTasks<Bf16Scratch>(
      (w.rows + kBf16Rows - 1) / kBf16Rows, n_tokens, kBf16Tokens, pool,
      [&](size_t u, Bf16Scratch& s) { Bf16Pack(w, u * kBf16Rows, pairs, s); },
      [&](const Bf16Scratch& s, size_t u, size_t t0, size_t t1) {
        const size_t r0 = u * kBf16Rows;
        Bf16Tokens(s.panels.get(), pairs, xb.data(), t0, t1, y + r0, w.rows,
                   std::min(kBf16Rows, w.rows - r0));
      });
  return true;
#else
  (void)w, (void)x, (void)n_tokens, (void)y, (void)pool;
  return false;
#endif
}

// Whether this target and CPU run the bfloat16 GEMMs.
inline bool HasBf16ProductsImpl() {
#if HWY_TARGET == HWY_AVX3_DL
  return CpuHasAvx512Bf16();
#else
  return false;
#endif
}

// Pre-packed bfloat16 operands (attention): units of 32 rows laid out as
// Bf16Pack writes them, rows past the end zero.
inline size_t GemmPackedBf16sImpl(size_t rows, size_t cols) {
  const size_t unit = 32;
  return (rows + unit - 1) / unit * unit * ((cols + 1) / 2 * 2);
}

// Packs element (r, k) = src[r * row_stride + k * col_stride].
inline void PackGemmBf16Impl(const float* src, size_t row_stride,
                             size_t col_stride, size_t rows, size_t cols,
                             uint16_t* out) {
  const size_t pairs = (cols + 1) / 2;
  const size_t padded = GemmPackedBf16sImpl(rows, cols) / (2 * pairs);
  for (size_t r = 0; r < padded; ++r) {
    // Row r: unit r / 32, panel (r / 16) % 2, lane r % 16.
    uint16_t* lane = out + (r / 16) * 32 * pairs + 2 * (r % 16);
    for (size_t k = 0; k < 2 * pairs; ++k) {
      const float v = r < rows && k < cols ? src[r * row_stride + k * col_stride] : 0.0f;
      uint32_t u;
      std::memcpy(&u, &v, 4);
      lane[(k / 2) * 32 + k % 2] =
          static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
    }
  }
}

// y[t * y_stride + r] = <packed row r, x[t * x_stride ...]> on this thread;
// requires HasBf16ProductsImpl().
inline void PackedGemmBf16Impl(const uint16_t* packed, size_t rows,
                               size_t cols, const float* x, size_t x_stride,
                               size_t n_tokens, float* y, size_t y_stride) {
#if HWY_TARGET == HWY_AVX3_DL
  const size_t pairs = (cols + 1) / 2;
  thread_local std::vector<uint16_t> xb;
  if (xb.size() < n_tokens * 2 * pairs) xb.resize(n_tokens * 2 * pairs);
  for (size_t t = 0; t < n_tokens; ++t) {
    ActsToBf16(x + t * x_stride, cols, 0, 1, pairs, xb.data() + t * 2 * pairs);
  }
  for (size_t r0 = 0; r0 < rows; r0 += kBf16Rows) {
    Bf16Tokens(packed + r0 * 2 * pairs, pairs, xb.data(), 0, n_tokens,
               y + r0, y_stride, std::min(kBf16Rows, rows - r0));
  }
#else
  (void)packed, (void)rows, (void)cols, (void)x, (void)x_stride;
  (void)n_tokens, (void)y, (void)y_stride;
  HWY_ASSERT(false);
#endif
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_MATMUL_GEMM_BF16_INL_H_
