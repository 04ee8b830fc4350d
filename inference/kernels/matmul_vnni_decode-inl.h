// SPDX-License-Identifier: Apache-2.0
// AVX-512 VNNI single-token products (decode, bandwidth bound): 16 weight
// rows are transposed straight from the GGUF blocks into registers (no
// scratch round trip) and multiplied with one quantized token. Covers the
// types of Gemma GGUFs: Q4_0, Q8_0, Q4_K, Q6_K; others use the panel path.
#if defined(VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_) == \
    defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#undef VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
#endif

#include <vector>

#include "common/check.h"
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

// Operand sources of the Rows* kernels, which ask for 16-byte windows of all
// 16 rows (`Window`, transposed as Transpose16x16) and fp16 fields (`F16`) in
// an order fixed by `cols` alone. RawSource reads the GGUF rows;
// RecordSource also appends every operand to a stream, which StreamSource
// replays with sequential loads (PackWeight: one DRAM stream per panel).
struct RawSource {
  const RawPanel& p;
  VIGIL_VNNI_ATTR HWY_INLINE void Window(size_t off, __m512i* out) const {
    Transpose16x16(p.src, off, out);
  }
  VIGIL_VNNI_ATTR HWY_INLINE __m512 F16(size_t off) const { return GatherF16(p, off); }
  HWY_INLINE void Prefetch(size_t step) const { p.Prefetch(step); }
};

struct RecordSource {
  const RawPanel& p;
  uint8_t* out;
  VIGIL_VNNI_ATTR HWY_INLINE void Window(size_t off, __m512i* v) {
    Transpose16x16(p.src, off, v);
    for (int k = 0; k < 4; ++k) _mm512_storeu_si512(out + 64 * k, v[k]);
    out += 256;
  }
  VIGIL_VNNI_ATTR HWY_INLINE __m512 F16(size_t off) {
    const __m256i h = _mm512_cvtepi32_epi16(
        _mm512_i32gather_epi32(p.offsets, p.src[0] + off, 1));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), h);
    out += 32;
    return _mm512_cvtph_ps(h);
  }
  HWY_INLINE void Prefetch(size_t) const {}
};

struct StreamSource {
  const uint8_t* in;
  VIGIL_VNNI_ATTR HWY_INLINE void Window(size_t, __m512i* v) {
    for (int k = 0; k < 4; ++k) v[k] = _mm512_loadu_si512(in + 64 * k);
    in += 256;
  }
  VIGIL_VNNI_ATTR HWY_INLINE __m512 F16(size_t) {
    const __m512 f = _mm512_cvtph_ps(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in)));
    in += 32;
    return f;
  }
  HWY_INLINE void Prefetch(size_t) const {}
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

template <class Src>
VIGIL_VNNI_ATTR HWY_NOINLINE __m512 RowsQ4_0(Src& p, size_t cols,
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

template <class Src>
VIGIL_VNNI_ATTR HWY_NOINLINE __m512 RowsQ8_0(Src& p, size_t cols,
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

// Returns byte `i` of every dword of `v` as unsigned int32 lanes.
VIGIL_VNNI_ATTR HWY_INLINE __m512i ByteOf(__m512i v, int i) {
  return _mm512_and_si512(_mm512_srli_epi32(v, 8 * i), _mm512_set1_epi32(0xFF));
}
// Returns byte `i` of every dword of `v`, sign-extended, as floats.
VIGIL_VNNI_ATTR HWY_INLINE __m512 SignedByte(__m512i v, int i) {
  return _mm512_cvtepi32_ps(_mm512_srai_epi32(_mm512_slli_epi32(v, 24 - 8 * i), 24));
}

// Unpacks the 6-bit scales and mins of all 8 sub-blocks of 16 Q4_K rows from
// the dwords `sv[0..2]` of their 12 scale bytes (ref::GetScaleMinK4).
VIGIL_VNNI_ATTR HWY_INLINE void K4ScalesMins(const __m512i* sv, __m512* sc,
                                             __m512* mn) {
  const __m512i m6 = _mm512_set1_epi32(63), m4 = _mm512_set1_epi32(15);
  for (int j = 0; j < 4; ++j) {
    const __m512i q0 = ByteOf(sv[0], j), q1 = ByteOf(sv[1], j);
    const __m512i q2 = ByteOf(sv[2], j);
    sc[j] = _mm512_cvtepi32_ps(_mm512_and_si512(q0, m6));
    mn[j] = _mm512_cvtepi32_ps(_mm512_and_si512(q1, m6));
    const __m512i s4 = _mm512_or_si512(_mm512_and_si512(q2, m4),
                                       _mm512_slli_epi32(_mm512_srli_epi32(q0, 6), 4));
    const __m512i m4v = _mm512_or_si512(_mm512_srli_epi32(q2, 4),
                                        _mm512_slli_epi32(_mm512_srli_epi32(q1, 6), 4));
    sc[4 + j] = _mm512_cvtepi32_ps(s4);
    mn[4 + j] = _mm512_cvtepi32_ps(m4v);
  }
}

// Q4_K: sub-block pair (2i, 2i + 1) shares 32 bytes of qs: low nibbles are
// sub-block 2i, high nibbles 2i + 1 (spec §1.3).
template <class Src>
VIGIL_VNNI_ATTR HWY_NOINLINE __m512 RowsQ4_K(Src& p, size_t cols,
                                      const uint8_t* acts) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512 acc = _mm512_setzero_ps();
  for (size_t b = 0; b < cols / 256; ++b) {
    const size_t o = b * 144;
    const __m512 d = p.F16(o);
    const __m512 neg_dmin = _mm512_sub_ps(_mm512_setzero_ps(), p.F16(o + 2));
    __m512i sv[4];  // dwords of scales[0..11] (and 4 bytes of qs, unused)
    p.Window(o + 4, sv);
    __m512 sc[8], mn[8];
    K4ScalesMins(sv, sc, mn);
    for (int i = 0; i < 4; ++i) {
      p.Prefetch(4 * b + i);
      __m512i raw[8], lo[8], hi[8];
      p.Window(o + 16 + 32 * i, raw);
      p.Window(o + 32 + 32 * i, raw + 4);
      for (int k = 0; k < 8; ++k) {
        lo[k] = _mm512_and_si512(raw[k], m4);
        hi[k] = _mm512_and_si512(_mm512_srli_epi16(raw[k], 4), m4);
      }
      const uint8_t* a = acts + (b * 8 + 2 * i) * 44;
      for (int h = 0; h < 2; ++h) {
        const int j = 2 * i + h;
        const __m512 scale = _mm512_mul_ps(d, sc[j]);
        const __m512 min = _mm512_mul_ps(neg_dmin, mn[j]);
        AccGroup<32, true>(h ? hi : lo, a + h * 44, scale, min, acc);
      }
    }
  }
  return acc;
}

// Q6_K: runs r = 0..3 of half n take nibbles of ql[64n + 32(r & 1) ...] (low
// for r < 2) and bits 2r of qh[32n ...]; int8 scale per 16 (spec §1.3). The
// activation scale is per 256 (Q8_K), so group sums times the int8 scales
// stay in int32 for the whole super-block (|sum| < 2^28) and only the
// super-block is converted to float.
template <class Src>
VIGIL_VNNI_ATTR HWY_NOINLINE __m512 RowsQ6_K(Src& p, size_t cols,
                                      const uint8_t* acts) {
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  __m512 acc = _mm512_setzero_ps();
  for (size_t b = 0; b < cols / 256; ++b) {
    const size_t o = b * 210;
    const uint8_t* ab = acts + b * 16 * 28;
    __m512i sv[4];  // dword k holds int8 scales 4k..4k+3 of each row
    p.Window(o + 192, sv);
    __m512i isum = _mm512_setzero_si512();
    for (int n = 0; n < 2; ++n) {
      for (int half = 0; half < 2; ++half) {  // elements l in [16 half, +16)
        p.Prefetch(4 * b + 2 * n + half);
        __m512i l0[4], l1[4], qh[4];
        p.Window(o + 64 * n + 16 * half, l0);
        p.Window(o + 64 * n + 32 + 16 * half, l1);
        p.Window(o + 128 + 32 * n + 16 * half, qh);
        for (int r = 0; r < 4; ++r) {
          const int g = 8 * n + 2 * r + half;
          const uint8_t* a = ab + g * 28;
          __m512i ia = _mm512_set1_epi32(VnniLoadI32(a + 16));
          for (int k = 0; k < 4; ++k) {
            const __m512i l = (r & 1) ? l1[k] : l0[k];
            const __m512i lo = r < 2 ? l : _mm512_srli_epi16(l, 4);
            // Bits 2r..2r+1 of qh moved to bits 4..5 of each byte.
            const __m512i h = r == 0   ? _mm512_slli_epi16(qh[k], 4)
                              : r == 1 ? _mm512_slli_epi16(qh[k], 2)
                              : r == 2 ? qh[k]
                                       : _mm512_srli_epi16(qh[k], 2);
            // 0xE4: per bit, m4 ? lo : (h & 0x30).
            const __m512i wv = _mm512_ternarylogic_epi32(
                lo, _mm512_and_si512(h, m30), m4, 0xE4);
            ia = _mm512_dpbusd_epi32(ia, wv, _mm512_set1_epi32(VnniLoadI32(a + 4 * k)));
          }
          const __m512i sc = _mm512_srai_epi32(
              _mm512_slli_epi32(sv[g / 4], 24 - 8 * (g % 4)), 24);
          isum = _mm512_add_epi32(isum, _mm512_mullo_epi32(ia, sc));
        }
      }
    }
    float da;
    std::memcpy(&da, ab + 20, 4);
    const __m512 d = _mm512_mul_ps(p.F16(o + 208), _mm512_set1_ps(da));
    acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), d, acc);
  }
  return acc;
}

inline bool HasVnniDecode(gguf::GgmlType t) {
  return t == gguf::GgmlType::kQ4_0 || t == gguf::GgmlType::kQ8_0 ||
         t == gguf::GgmlType::kQ4_K || t == gguf::GgmlType::kQ6_K;
}

template <class Src>
VIGIL_VNNI_ATTR HWY_INLINE __m512 RowsAny(gguf::GgmlType type, Src& src,
                                          size_t cols, const uint8_t* acts) {
  switch (type) {
    case gguf::GgmlType::kQ4_0: return RowsQ4_0(src, cols, acts);
    case gguf::GgmlType::kQ8_0: return RowsQ8_0(src, cols, acts);
    case gguf::GgmlType::kQ4_K: return RowsQ4_K(src, cols, acts);
    default: return RowsQ6_K(src, cols, acts);
  }
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
    RawSource src{raw};
    StorePanel(RowsAny(w.type, src, w.cols, acts), 16 * i, w.rows, y);
  }
}

// Bytes of one packed panel (the operands RecordSource appends).
inline size_t PackedPanelBytes(gguf::GgmlType type, size_t cols) {
  switch (type) {
    case gguf::GgmlType::kQ4_0: return cols / 32 * (256 + 32);
    case gguf::GgmlType::kQ8_0: return cols / 32 * (512 + 32);
    case gguf::GgmlType::kQ4_K: return cols / 256 * (9 * 256 + 2 * 32);
    default: return cols / 256 * (13 * 256 + 32);  // Q6_K
  }
}

// Writes panels [begin, end) of `w` to `out` (PackedPanelBytes apart).
VIGIL_VNNI_ATTR inline void RecordPanels(const WeightMatrix& w, size_t begin,
                                         size_t end, uint8_t* out) {
  const size_t bytes = PackedPanelBytes(w.type, w.cols);
  const size_t g = w.type == gguf::GgmlType::kQ6_K ? 16 : 32;
  // Zero activations: the products are discarded, only the operands count.
  const std::vector<uint8_t> zeros(w.cols / g * ActGroupBytes(g, 1), 0);
  for (size_t i = begin; i < end; ++i) {
    const RawPanel raw = MakeRawPanel(w, 16 * i);
    RecordSource rec{raw, out + i * bytes};
    RowsAny(w.type, rec, w.cols, zeros.data());
    VIGIL_CHECK(rec.out == out + (i + 1) * bytes);
  }
}

// Same as DecodePanels, reading the packed panels written by RecordPanels.
VIGIL_VNNI_ATTR inline void DecodePackedPanels(const PackedWeight& w,
                                               const uint8_t* acts,
                                               size_t begin, size_t end,
                                               float* y) {
  for (size_t i = begin; i < end; ++i) {
    StreamSource src{w.panels.data() + i * w.panel_bytes};
    // Sequential stream: the hardware prefetcher runs ahead on its own.
    StorePanel(RowsAny(w.source.type, src, w.source.cols, acts), 16 * i,
               w.source.rows, y);
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_TARGET == HWY_AVX3_DL
#endif  // VIGIL_KERNELS_MATMUL_VNNI_DECODE_INL_H_
