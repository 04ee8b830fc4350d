// SPDX-License-Identifier: Apache-2.0
// AVX-512 VNNI int8 GEMM for quantized weights (HWY_AVX3_DL only): kP panels
// of 16 weight rows times kT tokens per micro-kernel, int32 `vpdpbusd`
// accumulators per weight group and float accumulators across groups, all in
// registers. Each panel is unpacked once per call and reused across every
// token tile (prefill), or used once (decode). Results equal
// ref::DotRowQuantized up to float summation order.
#if defined(VIGIL_KERNELS_MATMUL_VNNI_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_VNNI_INL_H_
#undef VIGIL_KERNELS_MATMUL_VNNI_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_VNNI_INL_H_
#endif

#include <algorithm>
#include <vector>

#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/weight_layout.h"
#include "inference/kernels/matmul_vnni_decode-inl.h"
#include "inference/kernels/matmul_vnni_pack-inl.h"
#include "inference/kernels/matmul_vnni_rows-inl.h"

#if HWY_TARGET == HWY_AVX3_DL

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

inline constexpr size_t kVnniPanels = 2;  // 32 weight rows per micro-kernel
inline constexpr size_t kVnniTokens = 4;  // tokens per prefill tile

// out[p * kT + t] (16 floats each) = rows of panel p times token t of `acts`.
template <size_t kP, size_t kT, size_t kG, bool kMins>
VIGIL_VNNI_ATTR HWY_NOINLINE void VnniTile(const uint8_t* const* panels,
                                           const uint8_t* acts,
                                           size_t n_groups, __m512* out) {
  constexpr size_t kPanelBytes = kG * 16 + 64 + (kMins ? 64 : 0);
  constexpr size_t kActBytes = kT * (kG + 12);
  __m512 acc[kP][kT];
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) acc[p][t] = _mm512_setzero_ps();
  for (size_t g = 0; g < n_groups; ++g) {
    const uint8_t* a = acts + g * kActBytes;
    const uint8_t* tail = a + kT * kG;
    __m512i ia[kP][kT];
    for (size_t t = 0; t < kT; ++t) {
      const __m512i corr = _mm512_set1_epi32(VnniLoadI32(tail + 4 * t));
      for (size_t p = 0; p < kP; ++p) ia[p][t] = corr;
    }
    for (size_t k = 0; k < kG / 4; ++k) {
      __m512i wv[kP];
      for (size_t p = 0; p < kP; ++p) {
        wv[p] = _mm512_loadu_si512(panels[p] + g * kPanelBytes + 64 * k);
      }
      for (size_t t = 0; t < kT; ++t) {
        const __m512i av = _mm512_set1_epi32(VnniLoadI32(a + t * kG + 4 * k));
        for (size_t p = 0; p < kP; ++p) {
          ia[p][t] = _mm512_dpbusd_epi32(ia[p][t], wv[p], av);
        }
      }
    }
    for (size_t p = 0; p < kP; ++p) {
      const uint8_t* ws = panels[p] + g * kPanelBytes + 16 * kG;
      const __m512 scale = _mm512_loadu_ps(ws);
      for (size_t t = 0; t < kT; ++t) {
        float dt;
        std::memcpy(&dt, tail + 4 * (kT + t), 4);
        acc[p][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ia[p][t]),
                                    _mm512_mul_ps(scale, _mm512_set1_ps(dt)),
                                    acc[p][t]);
      }
      if constexpr (kMins) {
        const __m512 mins = _mm512_loadu_ps(ws + 64);
        for (size_t t = 0; t < kT; ++t) {
          float ds;
          std::memcpy(&ds, tail + 4 * (2 * kT + t), 4);
          acc[p][t] = _mm512_fmadd_ps(mins, _mm512_set1_ps(ds), acc[p][t]);
        }
      }
    }
  }
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) out[p * kT + t] = acc[p][t];
}

using VnniTileFn = void (*)(const uint8_t* const*, const uint8_t*, size_t,
                            __m512*);

template <size_t kT>
VnniTileFn PickVnniTile(const VnniType& vt) {
  constexpr size_t kP = kVnniPanels;
  if (vt.group == 16) {
    return vt.mins ? &VnniTile<kP, kT, 16, true> : &VnniTile<kP, kT, 16, false>;
  }
  return vt.mins ? &VnniTile<kP, kT, 32, true> : &VnniTile<kP, kT, 32, false>;
}

// Per-thread unpacking buffers; grown on demand, reused across calls.
struct VnniScratch {
  std::vector<uint8_t> rows_q, panels;
  std::vector<float> rows_scale, rows_min;
  std::vector<int8_t> tok_q;
  std::vector<float> tok_d;
  std::vector<int32_t> tok_sums;
};
inline VnniScratch& VnniThreadScratch() {
  thread_local VnniScratch s;
  return s;
}

// Unpacks rows [r0, r0 + 16 * kVnniPanels) of `w` (clamped to the last row)
// into `s.panels`.
VIGIL_VNNI_ATTR inline void UnpackPanels(const WeightMatrix& w,
                                         const VnniType& vt, size_t r0,
                                         VnniScratch& s) {
  const size_t n_groups = w.cols / vt.group;
  const size_t panel_bytes = n_groups * PanelGroupBytes(vt.group, vt.mins);
  U8Row rows[16];
  for (size_t r = 0; r < 16; ++r) {
    rows[r] = {s.rows_q.data() + r * w.cols, s.rows_scale.data() + r * n_groups,
               s.rows_min.data() + r * n_groups};
  }
  for (size_t p = 0; p < kVnniPanels; ++p) {
    for (size_t r = 0; r < 16; ++r) {
      const size_t row = std::min(r0 + 16 * p + r, w.rows - 1);
      DecodeRowU8(w.type, RowBlocks(w, row), w.cols, vt.bias, rows[r]);
    }
    TransposePanel(rows, n_groups, vt.group, vt.mins,
                   s.panels.data() + p * panel_bytes);
  }
}

inline void GrowScratch(const WeightMatrix& w, const VnniType& vt,
                        VnniScratch& s) {
  const size_t n_groups = w.cols / vt.group;
  const size_t panels =
      kVnniPanels * n_groups * PanelGroupBytes(vt.group, vt.mins);
  if (s.panels.size() < panels) s.panels.resize(panels);
  if (s.rows_q.size() < 16 * w.cols) s.rows_q.resize(16 * w.cols);
  if (s.rows_scale.size() < 16 * n_groups) {
    s.rows_scale.resize(16 * n_groups);
    s.rows_min.resize(16 * n_groups);
  }
}

// Stores tile results for rows [r0, ...) and tokens [t0, ...) that exist.
VIGIL_VNNI_ATTR inline void StoreTile(const __m512* out, size_t k_tokens,
                                      size_t r0, size_t t0, size_t rows,
                                      size_t n_tokens, float* y) {
  for (size_t p = 0; p < kVnniPanels; ++p) {
    const size_t rp = r0 + 16 * p;
    if (rp >= rows) break;
    const __mmask16 m = rows - rp >= 16
                            ? static_cast<__mmask16>(0xFFFF)
                            : static_cast<__mmask16>((1u << (rows - rp)) - 1);
    for (size_t t = 0; t < k_tokens && t0 + t < n_tokens; ++t) {
      _mm512_mask_storeu_ps(y + (t0 + t) * rows + rp, m, out[p * k_tokens + t]);
    }
  }
}

// Quantizes all tokens into `acts` (token tiles of `k_tokens`).
inline void PackAllActs(const float* x, size_t cols, size_t n_tokens,
                        size_t k_tokens, const VnniType& vt,
                        std::vector<uint8_t>& acts, ThreadPool& pool) {
  const size_t tile_bytes = cols / vt.group * ActGroupBytes(vt.group, k_tokens);
  const size_t n_tiles = (n_tokens + k_tokens - 1) / k_tokens;
  if (acts.size() < n_tiles * tile_bytes) acts.resize(n_tiles * tile_bytes);
  pool.ParallelFor(n_tiles, 1, [&](size_t b, size_t e, int) {
    VnniScratch& s = VnniThreadScratch();
    if (s.tok_q.size() < cols) {
      s.tok_q.resize(cols);
      s.tok_d.resize(cols / 16);
      s.tok_sums.resize(cols / 16);
    }
    for (size_t i = b; i < e; ++i) {
      PackActTile(x, cols, i * k_tokens, k_tokens, n_tokens, vt, s.tok_q.data(),
                  s.tok_d.data(), s.tok_sums.data(), acts.data() + i * tile_bytes);
    }
  });
}

template <size_t kT>
void MatMulVnniT(const WeightMatrix& w, const float* x, size_t n_tokens,
                 float* y, ThreadPool& pool) {
  const VnniType vt = GetVnniType(w.type);
  const size_t n_groups = w.cols / vt.group;
  // The caller's buffer, captured by reference: a thread_local named inside
  // the lambda would be each worker's own.
  thread_local std::vector<uint8_t> caller_acts;
  std::vector<uint8_t>& acts = caller_acts;
  PackAllActs(x, w.cols, n_tokens, kT, vt, acts, pool);
  const size_t tile_bytes = n_groups * ActGroupBytes(vt.group, kT);
  const size_t n_tiles = (n_tokens + kT - 1) / kT;
  const size_t unit_rows = 16 * kVnniPanels;
  const size_t n_units = (w.rows + unit_rows - 1) / unit_rows;
  const VnniTileFn tile_fn = PickVnniTile<kT>(vt);
  const size_t panel_bytes = n_groups * PanelGroupBytes(vt.group, vt.mins);
  pool.ParallelFor(n_units, 1, [&](size_t b, size_t e, int) {
    VnniScratch& s = VnniThreadScratch();
    GrowScratch(w, vt, s);
    const uint8_t* panels[kVnniPanels];
    for (size_t p = 0; p < kVnniPanels; ++p) {
      panels[p] = s.panels.data() + p * panel_bytes;
    }
    __m512 out[kVnniPanels * kT];
    for (size_t u = b; u < e; ++u) {
      UnpackPanels(w, vt, u * unit_rows, s);
      for (size_t i = 0; i < n_tiles; ++i) {
        tile_fn(panels, acts.data() + i * tile_bytes, n_groups, out);
        StoreTile(out, kT, u * unit_rows, i * kT, w.rows, n_tokens, y);
      }
    }
  });
}

// y = w * x with int8 activations on AVX-512 VNNI (quantized weight types).
inline void MatMulVnni(const WeightMatrix& w, const float* x, size_t n_tokens,
                       float* y, ThreadPool& pool) {
  if (n_tokens == 1 && HasStreamDecode(w)) return MatMulStream(w, x, y, pool);
  if (n_tokens == 1 && HasVnniDecode(w.type)) {
    thread_local std::vector<uint8_t> caller_acts;
    std::vector<uint8_t>& acts = caller_acts;
    PackAllActs(x, w.cols, 1, 1, GetVnniType(w.type), acts, pool);
    pool.ParallelFor((w.rows + 15) / 16, 1, [&](size_t b, size_t e, int) {
      DecodePanels(w, acts.data(), b, e, y);
    });
    return;
  }
  if (n_tokens == 1) return MatMulVnniT<1>(w, x, n_tokens, y, pool);
  MatMulVnniT<kVnniTokens>(w, x, n_tokens, y, pool);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_TARGET == HWY_AVX3_DL
#endif  // VIGIL_KERNELS_MATMUL_VNNI_INL_H_
