// SPDX-License-Identifier: Apache-2.0
// AVX-512 VNNI single-token products (decode, bandwidth bound): 16 weight
// rows are transposed straight from the GGUF blocks into registers (no
// scratch round trip) and multiplied with one quantized token. Covers Q8_0
// and Q4_0 rows not a multiple of 128 long (Q4_0, Q4_K and Q6_K otherwise
// stream: matmul_vnni_rows-inl.h); other types use the panel path.
#if defined(VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_) == \
    defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#undef VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#endif

#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/matmul_vnni_pack-inl.h"

#if HWY_TARGET == HWY_AVX3_DL

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

// One 16-row panel read from the mmap: row pointers (tail rows repeat the
// last row) and their byte offsets from row 0 for gathers.
struct RawPanel {
  const uint8_t* src[16];
  __m512i offsets;
  // The next panel's bytes, prefetched `prefetch_step` bytes per block so
  // that DRAM streams ahead of the 16 row cursors (LM head: 100s of MB).
  const uint8_t* prefetch;
  size_t prefetch_step;

  HWY_INLINE void Prefetch(size_t block) const {
    const uint8_t* p = prefetch + block * prefetch_step;
    for (size_t off = 0; off < prefetch_step; off += 64) {
      _mm_prefetch(reinterpret_cast<const char*>(p + off), _MM_HINT_T1);
    }
  }
};

// Returns the 16 fp16 values at byte `offset` of every row, as floats.
VIGIL_VNNI_ATTR inline __m512 GatherF16(const RawPanel& p, size_t offset) {
  const __m512i v = _mm512_i32gather_epi32(p.offsets, p.src[0] + offset, 1);
  return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(v));
}

// What the Rows* kernels read: 16-byte windows of all 16 rows (`Window`,
// transposed as Transpose16x16) and fp16 fields (`F16`).
struct RawSource {
  const RawPanel& p;
  VIGIL_VNNI_ATTR HWY_INLINE void Window(size_t off, __m512i* out) const {
    Transpose16x16(p.src, off, out);
  }
  VIGIL_VNNI_ATTR HWY_INLINE __m512 F16(size_t off) const { return GatherF16(p, off); }
  HWY_INLINE void Prefetch(size_t step) const { p.Prefetch(step); }
};

VIGIL_VNNI_ATTR inline RawPanel MakeRawPanel(const WeightMatrix& w,
                                             size_t r0) {
  RawPanel p;
  alignas(64) int32_t off[16];
  const auto* base = static_cast<const uint8_t*>(w.data);
  for (size_t r = 0; r < 16; ++r) {
    const size_t row = std::min(r0 + r, w.rows - 1);
    p.src[r] = base + row * w.row_bytes;
    off[r] = static_cast<int32_t>((row - r0) * w.row_bytes);
  }
  p.offsets = _mm512_load_si512(off);
  // K-quant loops prefetch at 4 steps per super-block.
  const size_t block_elems = GetKernelTypeInfo(w.type).block_elems;
  const size_t blocks = w.cols / block_elems * (block_elems == 256 ? 4 : 1);
  p.prefetch = base + (r0 + 16) * w.row_bytes;
  p.prefetch_step = (16 * w.row_bytes + blocks - 1) / blocks;
  return p;
}

// acc += (corr + sum_k w[k] . a[k]) * scale * d (+ min * dsum): one group of
// one token in the kT = 1 activation layout (ActGroupBytes).
template <size_t kG, bool kMins>
VIGIL_VNNI_ATTR HWY_INLINE void AccGroup(const __m512i* wv, const uint8_t* a,
                                         __m512 scale, __m512 min,
                                         __m512& acc) {
  __m512i ia = _mm512_set1_epi32(VnniLoadI32(a + kG));
  for (size_t k = 0; k < kG / 4; ++k) {
    ia = _mm512_dpbusd_epi32(ia, wv[k], _mm512_set1_epi32(VnniLoadI32(a + 4 * k)));
  }
  float d;
  std::memcpy(&d, a + kG + 4, 4);
  acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ia),
                        _mm512_mul_ps(scale, _mm512_set1_ps(d)), acc);
  if constexpr (kMins) {
    float ds;
    std::memcpy(&ds, a + kG + 8, 4);
    acc = _mm512_fmadd_ps(min, _mm512_set1_ps(ds), acc);
  }
}

VIGIL_VNNI_ATTR HWY_NOINLINE inline __m512 RowsQ4_0(const RawSource& p, size_t cols,
                                      const uint8_t* acts) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512 acc = _mm512_setzero_ps();
  for (size_t b = 0; b < cols / 32; ++b) {
    p.Prefetch(b);
    __m512i raw[4], wv[8];
    p.Window(b * 18 + 2, raw);
    for (int k = 0; k < 4; ++k) {
      wv[k] = _mm512_and_si512(raw[k], m4);
      wv[4 + k] = _mm512_and_si512(_mm512_srli_epi16(raw[k], 4), m4);
    }
    AccGroup<32, false>(wv, acts + b * 44, p.F16(b * 18),
                        _mm512_setzero_ps(), acc);
  }
  return acc;
}

VIGIL_VNNI_ATTR HWY_NOINLINE inline __m512 RowsQ8_0(const RawSource& p, size_t cols,
                                      const uint8_t* acts) {
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  __m512 acc = _mm512_setzero_ps();
  for (size_t b = 0; b < cols / 32; ++b) {
    p.Prefetch(b);
    __m512i wv[8];
    p.Window(b * 34 + 2, wv);
    p.Window(b * 34 + 18, wv + 4);
    for (int k = 0; k < 8; ++k) wv[k] = _mm512_xor_si512(wv[k], flip);
    AccGroup<32, false>(wv, acts + b * 44, p.F16(b * 34),
                        _mm512_setzero_ps(), acc);
  }
  return acc;
}

inline bool HasVnniDecode(gguf::GgmlType t) {
  return t == gguf::GgmlType::kQ4_0 || t == gguf::GgmlType::kQ8_0;
}

VIGIL_VNNI_ATTR HWY_INLINE void StorePanel(__m512 v, size_t r0, size_t rows,
                                           float* y) {
  const size_t left = rows - r0;
  const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF)
                                 : static_cast<__mmask16>((1u << left) - 1);
  _mm512_mask_storeu_ps(y + r0, m, v);
}

// y[r] = row r of `w` times the single packed token `acts` (kT = 1 layout),
// for panels [begin, end) of 16 rows.
VIGIL_VNNI_ATTR inline void DecodePanels(const WeightMatrix& w,
                                         const uint8_t* acts, size_t begin,
                                         size_t end, float* y) {
  for (size_t i = begin; i < end; ++i) {
    const RawPanel raw = MakeRawPanel(w, 16 * i);
    const RawSource src{raw};
    StorePanel(w.type == gguf::GgmlType::kQ4_0 ? RowsQ4_0(src, w.cols, acts)
                                               : RowsQ8_0(src, w.cols, acts),
               16 * i, w.rows, y);
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_TARGET == HWY_AVX3_DL
#endif  // VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
