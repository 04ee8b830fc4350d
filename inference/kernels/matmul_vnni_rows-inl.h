// SPDX-License-Identifier: Apache-2.0
// AVX-512 VNNI single-token products that stream weight rows front to back
// (decode; Q4_0, Q4_K and Q6_K: the bulk of Q4_0 and Q4_K_M files and their
// LM heads). Four rows at a time: read straight from the GGUF blocks, or,
// re-laid at load in the kQuads layout (weight_layout.h; all three types),
// as one forward stream whose vectors hold the same sub-block of the four
// rows, one row per 128-bit lane (fewer permutes, no cross-row gathers).
// The activations are rearranged once per call to match the block layout.
#if defined(VIGIL_KERNELS_MATMUL_VNNI_ROWS_INL_H_) == \
    defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_VNNI_ROWS_INL_H_
#undef VIGIL_KERNELS_MATMUL_VNNI_ROWS_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_VNNI_ROWS_INL_H_
#endif

#include <algorithm>
#include <cstring>

#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/matmul_vnni_pack-inl.h"

#if HWY_TARGET == HWY_AVX3_DL

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

inline constexpr size_t kStreamRows = 4;
// How far ahead of the four row cursors the next rows are prefetched into
// L2: far enough to cover DRAM latency at full single-core bandwidth
// (measured best at 8-16 KiB on Zen 4), near enough to stay in L2.
inline constexpr size_t kStreamPrefetchBytes = 12288;

// Q4_0 processes 4 blocks (128 elements, 72 bytes) per step. Activation step
// layout (256 bytes): int8 elements 0-15 of the 4 blocks, elements 16-31, the
// int32 correction -8 * sum(q) of block j in lane 4j (other lanes 0), and the
// activation scale of block j in lanes 4j..4j+3.
inline constexpr size_t kQ4_0StepActBytes = 256;
// Q4_0 in the kQuads layout, per 4 blocks: for block j the int8 elements
// 0-15 then 16-31 (+32j); at +128, for block j, the int32 correction -8 *
// sum(q) then three zeros (+16j); at +192 the activation scale of block j
// in float lanes 4j..4j+3.
inline constexpr size_t kQ4_0QuadsStepActBytes = 256;
// Q6_K per super-block (256 elements, 210 bytes): the 256 int8 elements in
// order, then 16 int16 words -sum(q) of each 16-element group (they meet the
// scales times 32, the bias of the stored 6-bit values), then the float
// scale.
inline constexpr size_t kQ6_KStepActBytes = 256 + 64;
// Q4_K per super-block (256 elements, 144 bytes): four 64-byte vectors in
// the order the nibbles of qs[0..63] and qs[64..127] meet them (low nibbles
// of 64 bytes are elements 0-31 and 64-95, high nibbles 32-63 and 96-127,
// then the same + 128), 16 int16 words of which 8-15 are -sum(q) of each
// 32-element sub-block (they meet the mins), then the float scale.
inline constexpr size_t kQ4_KStepActBytes = 256 + 64;
// Q4_K in the kQuads layout, per super-block: for each 16-byte chunk c of
// the quants (c = 2p + h: bytes 32p + 16h.., whose low nibbles are elements
// 64p + 16h.. and high nibbles 64p + 32 + 16h..), the 16 activations of the
// low nibbles then the 16 of the high ones; at +256 the 8 words -sum(q) of
// each 32-element sub-block; at +288 the float scale. Same size as above.
inline constexpr size_t kQ4_KQuadsStepActBytes = 256 + 64;

inline bool HasStreamDecode(const WeightMatrix& w) {
  return (w.type == gguf::GgmlType::kQ4_0 && w.cols % 128 == 0) ||
         w.type == gguf::GgmlType::kQ4_K || w.type == gguf::GgmlType::kQ6_K;
}

inline size_t StreamActBytes(const WeightMatrix& w) {
  switch (w.type) {
    case gguf::GgmlType::kQ4_0:
      return w.cols / 128 * (w.layout == RowLayout::kQuads ? kQ4_0QuadsStepActBytes
                                                           : kQ4_0StepActBytes);
    case gguf::GgmlType::kQ4_K:
      return w.cols / 256 * (w.layout == RowLayout::kQuads ? kQ4_KQuadsStepActBytes
                                                           : kQ4_KStepActBytes);
    default: return w.cols / 256 * kQ6_KStepActBytes;
  }
}

// Quantizes `x` (one token) into the layout above; `acts` holds
// StreamActBytes(w) bytes, 64-byte aligned. `q`, `d`, `sums` are scratch.
VIGIL_VNNI_ATTR inline void PackStreamActs(const WeightMatrix& w,
                                           const float* x, int8_t* q,
                                           float* d, int32_t* sums,
                                           uint8_t* acts) {
  const bool quads = w.layout == RowLayout::kQuads;
  if (w.type == gguf::GgmlType::kQ4_0) {
    QuantizeQ8_0(x, w.cols, q, d, sums);
    for (size_t s = 0; s < w.cols / 128; ++s) {
      uint8_t* a = acts + s * (quads ? kQ4_0QuadsStepActBytes : kQ4_0StepActBytes);
      int32_t corr[16] = {};
      float da[16];
      for (size_t j = 0; j < 4; ++j) {
        const size_t b = 4 * s + j;
        if (quads) {
          std::memcpy(a + 32 * j, q + 32 * b, 32);
        } else {
          std::memcpy(a + 16 * j, q + 32 * b, 16);
          std::memcpy(a + 64 + 16 * j, q + 32 * b + 16, 16);
        }
        corr[4 * j] = -8 * sums[b];
        for (size_t k = 0; k < 4; ++k) da[4 * j + k] = d[b];
      }
      std::memcpy(a + 128, corr, 64);
      std::memcpy(a + 192, da, 64);
    }
    return;
  }
  QuantizeQ8_K(x, w.cols, q, d, sums);
  if (w.type == gguf::GgmlType::kQ4_K) {
    for (size_t s = 0; s < w.cols / 256; ++s) {
      uint8_t* a = acts + s * (quads ? kQ4_KQuadsStepActBytes : kQ4_KStepActBytes);
      const int8_t* qs = q + 256 * s;
      if (quads) {
        for (size_t c = 0; c < 8; ++c) {
          const size_t first = 64 * (c / 2) + 16 * (c % 2);
          std::memcpy(a + 32 * c, qs + first, 16);
          std::memcpy(a + 32 * c + 16, qs + first + 32, 16);
        }
      } else {
        for (size_t v = 0; v < 4; ++v) {  // v: (64-byte half of qs, nibble)
          const size_t first = 128 * (v / 2) + 32 * (v % 2);
          std::memcpy(a + 64 * v, qs + first, 32);
          std::memcpy(a + 64 * v + 32, qs + first + 64, 32);
        }
      }
      // -sum(q) of each 32-element sub-block: words 0-7 (quads) or 8-15.
      int16_t neg_sums[16] = {};
      for (size_t sb = 0; sb < 8; ++sb) {
        neg_sums[(quads ? 0 : 8) + sb] = static_cast<int16_t>(
            -(sums[16 * s + 2 * sb] + sums[16 * s + 2 * sb + 1]));
      }
      std::memcpy(a + 256, neg_sums, 32);
      std::memcpy(a + 288, &d[s], 4);
    }
    return;
  }
  for (size_t s = 0; s < w.cols / 256; ++s) {
    uint8_t* a = acts + s * kQ6_KStepActBytes;
    std::memcpy(a, q + 256 * s, 256);
    int16_t neg_sums[16];
    for (size_t g = 0; g < 16; ++g) {
      neg_sums[g] = static_cast<int16_t>(-sums[16 * s + g]);
    }
    std::memcpy(a + 256, neg_sums, 32);
    std::memcpy(a + 288, &d[s], 4);
  }
}

// Prefetches, into L2, the `n` bytes at `p` (the stream ahead of the rows).
HWY_INLINE void PrefetchAhead(const uint8_t* p, size_t n) {
  for (size_t off = 0; off < n; off += 64) {
    _mm_prefetch(reinterpret_cast<const char*>(p + off), _MM_HINT_T1);
  }
}

// The row pointers of rows r0 .. r0 + 4 (past the end: the last row again)
// and the prefetch cursor running kStreamPrefetchBytes ahead of them.
struct RowCursors {
  const uint8_t* row[kStreamRows];
  const uint8_t* ahead;
  const uint8_t* end;

  RowCursors(const WeightMatrix& w, size_t r0) {
    const auto* base = static_cast<const uint8_t*>(w.data);
    for (size_t k = 0; k < kStreamRows; ++k) {
      row[k] = base + std::min(r0 + k, w.rows - 1) * w.row_bytes;
    }
    ahead = row[0] + kStreamPrefetchBytes;
    end = base + w.rows * w.row_bytes;
  }
  // Prefetches the next `bytes` of the stream (one step of all four rows).
  HWY_INLINE void PrefetchStep(size_t bytes) {
    if (ahead < end) PrefetchAhead(ahead, bytes);
    ahead += bytes;
  }
};

// y[r0 + k] = the lane sum of acc[k] for the rows that exist.
VIGIL_VNNI_ATTR HWY_INLINE void StoreRowSums(const __m512* acc, size_t r0,
                                             size_t rows, float* y) {
  for (size_t k = 0; k < kStreamRows && r0 + k < rows; ++k) {
    y[r0 + k] = _mm512_reduce_add_ps(acc[k]);
  }
}

// y[r0 + k] = the sum of float lanes 4k .. 4k + 3 of `acc` (the kQuads
// kernels: row k in 128-bit lane k).
VIGIL_VNNI_ATTR HWY_INLINE void StoreQuadSums(__m512 acc, size_t r0, float* y) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, acc);
  for (size_t k = 0; k < 4; ++k) {
    y[r0 + k] = (lanes[4 * k] + lanes[4 * k + 1]) + (lanes[4 * k + 2] + lanes[4 * k + 3]);
  }
}

// Byte indices gathering the 4 blocks' 16 qs bytes (vpermt2b over 128 bytes)
// and their fp16 scales, each repeated for the 4 int32 lanes of its block.
struct Q4_0StreamIndices {
  __m512i qs, d;
};
VIGIL_VNNI_ATTR inline Q4_0StreamIndices MakeQ4_0StreamIndices() {
  alignas(64) uint8_t qs[64], d[64] = {};
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 16; ++i) qs[16 * j + i] = static_cast<uint8_t>(18 * j + 2 + i);
  }
  for (int k = 0; k < 16; ++k) {
    d[2 * k] = static_cast<uint8_t>(18 * (k / 4));
    d[2 * k + 1] = static_cast<uint8_t>(18 * (k / 4) + 1);
  }
  return {_mm512_load_si512(qs), _mm512_load_si512(d)};
}

// y[r0 .. r0 + 4) for Q4_0 (rows past `rows` repeat the last row and are
// not stored).
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamRowsQ4_0(const WeightMatrix& w,
                                                 size_t r0,
                                                 const uint8_t* acts,
                                                 const Q4_0StreamIndices& ix,
                                                 float* y) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  RowCursors c(w, r0);
  const uint8_t* const* row = c.row;
  __m512 acc[kStreamRows];
  for (auto& a : acc) a = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 128; ++s) {
    const uint8_t* a = acts + s * kQ4_0StepActBytes;
    const __m512i lo = _mm512_load_si512(a), hi = _mm512_load_si512(a + 64);
    const __m512i corr = _mm512_load_si512(a + 128);
    const __m512 da = _mm512_load_ps(reinterpret_cast<const float*>(a + 192));
    c.PrefetchStep(kStreamRows * 72);
    for (size_t k = 0; k < kStreamRows; ++k) {
      const uint8_t* p = row[k] + 72 * s;
      // 72 bytes: a full load plus a masked 8-byte tail that never reads
      // past the matrix.
      const __m512i v0 = _mm512_loadu_si512(p);
      const __m512i v1 = _mm512_maskz_loadu_epi8(0xFF, p + 64);
      const __m512i qs = _mm512_permutex2var_epi8(v0, ix.qs, v1);
      const __m512i dw = _mm512_permutexvar_epi8(ix.d, v0);
      __m512i isum = _mm512_dpbusd_epi32(corr, _mm512_and_si512(qs, m4), lo);
      isum = _mm512_dpbusd_epi32(
          isum, _mm512_and_si512(_mm512_srli_epi16(qs, 4), m4), hi);
      const __m512 scale =
          _mm512_mul_ps(_mm512_cvtph_ps(_mm512_castsi512_si256(dw)), da);
      acc[k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), scale, acc[k]);
    }
  }
  StoreRowSums(acc, r0, w.rows, y);
}

// y[r0 .. r0 + 4) for Q4_0 in the kQuads layout: 288-byte steps of 4
// vectors (block j of the 4 rows, one row per 128-bit lane: low nibbles
// elements 0-15, high 16-31) and the 16 fp16 scales. Each vector meets its
// broadcast activations in two vpdpbusd and its scales (d of row k times
// the activation scale, picked per lane) in one fma: no byte permutes.
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamQuadsQ4_0(const WeightMatrix& w,
                                                         size_t r0,
                                                         const uint8_t* acts,
                                                         float* y) {
  constexpr size_t kStepBytes = 4 * 72;
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  // Float lane 4k + i of block j's scales takes lane 4j + k of `dd`.
  __m512i scale_idx[4];
  for (int j = 0; j < 4; ++j) {
    alignas(64) int32_t idx[16];
    for (int i = 0; i < 16; ++i) idx[i] = 4 * j + i / 4;
    scale_idx[j] = _mm512_load_si512(idx);
  }
  const uint8_t* blk = static_cast<const uint8_t*>(w.data) + r0 * w.row_bytes;
  const uint8_t* const end = static_cast<const uint8_t*>(w.data) + w.rows * w.row_bytes;
  __m512 acc = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 128; ++s, blk += kStepBytes) {
    const uint8_t* a = acts + s * kQ4_0QuadsStepActBytes;
    if (blk + kStreamPrefetchBytes < end) PrefetchAhead(blk + kStreamPrefetchBytes, kStepBytes);
    // Lane 4j + k: d of row k, block j, times block j's activation scale.
    const __m512 dd = _mm512_mul_ps(
        _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 256))),
        _mm512_load_ps(reinterpret_cast<const float*>(a + 192)));
    for (int j = 0; j < 4; ++j) {
      const __m512i v = _mm512_loadu_si512(blk + 64 * j);
      const auto bcast = [&](size_t off) {
        return _mm512_broadcast_i32x4(
            _mm_load_si128(reinterpret_cast<const __m128i*>(a + off)));
      };
      __m512i isum = _mm512_dpbusd_epi32(bcast(128 + 16 * j), _mm512_and_si512(v, m4),
                                         bcast(32 * j));
      isum = _mm512_dpbusd_epi32(isum, _mm512_and_si512(_mm512_srli_epi16(v, 4), m4),
                                 bcast(32 * j + 16));
      acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum),
                            _mm512_permutexvar_ps(scale_idx[j], dd), acc);
    }
  }
  StoreQuadSums(acc, r0, y);
}

// isum + 128 elements of a k-quant row: the unsigned weights `lo` meet the
// int8 activations acts[0..64), `hi` meet acts[64..128) in u8 x s8 pair sums
// (vpmaddubsw), each scaled by its int16 word of `sc` picked by `lo_idx` /
// `hi_idx` (vpdpwssd), so scaling costs no extra multiply.
VIGIL_VNNI_ATTR HWY_INLINE __m512i AddScaledPairSums(
    __m512i isum, __m512i lo, __m512i hi, const uint8_t* acts, __m512i lo_idx,
    __m512i hi_idx, __m512i sc) {
  isum = _mm512_dpwssd_epi32(
      isum, _mm512_maddubs_epi16(lo, _mm512_load_si512(acts)),
      _mm512_permutexvar_epi16(lo_idx, sc));
  return _mm512_dpwssd_epi32(
      isum, _mm512_maddubs_epi16(hi, _mm512_load_si512(acts + 64)),
      _mm512_permutexvar_epi16(hi_idx, sc));
}

// y[r0 .. r0 + 4) for Q6_K (spec §1.3: in each 128-element half, ql bytes
// 0-31 hold elements l (low nibble) and 64 + l (high), bytes 32-63 elements
// 32 + l and 96 + l; qh bits 2i..2i+1 are the high bits of quarter i).
// The stored values are q + 32 in 0..63: u8 x s8 pair sums (vpmaddubsw, at
// most 2 * 63 * 127, no saturation) times the int16 group scales
// (vpdpwssd), and the bias as 32 * scale * -sum(q) per group.
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamRowsQ6_K(const WeightMatrix& w,
                                                 size_t r0,
                                                 const uint8_t* acts,
                                                 float* y) {
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  // Quarters 0/1 take qh bits 0-1/2-3 (shift left 4/2 into bits 4-5);
  // quarters 2/3 bits 4-5/6-7 (shift right 0/2).
  const __m512i shl = _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(2), 1);
  const __m512i shr = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(2), 1);
  // Quarter qi covers groups 4qi..4qi+3, one per 128-bit lane (8 words).
  __m512i sc_idx[4];
  for (int qi = 0; qi < 4; ++qi) {
    alignas(64) int16_t idx[32];
    for (int i = 0; i < 32; ++i) idx[i] = static_cast<int16_t>(4 * qi + i / 8);
    sc_idx[qi] = _mm512_load_si512(idx);
  }
  RowCursors c(w, r0);
  const uint8_t* const* row = c.row;
  __m512 acc[kStreamRows];
  for (auto& a : acc) a = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 256; ++s) {
    const uint8_t* a = acts + s * kQ6_KStepActBytes;
    const __m512i neg_sums = _mm512_zextsi256_si512(
        _mm256_load_si256(reinterpret_cast<const __m256i*>(a + 256)));
    float da;
    std::memcpy(&da, a + 288, 4);
    c.PrefetchStep(kStreamRows * 210);
    for (size_t k = 0; k < kStreamRows; ++k) {
      const uint8_t* p = row[k] + 210 * s;
      const __m512i sc = _mm512_zextsi256_si512(_mm256_cvtepi8_epi16(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 192))));
      // The bias: 32 * sc[g] * -sum(q of g). (512-bit: the 256-bit form may
      // be emitted as AVX-VNNI, which AVX-512 CPUs such as Zen 4 lack.)
      __m512i isum = _mm512_dpwssd_epi32(_mm512_setzero_si512(),
                                         _mm512_slli_epi16(sc, 5), neg_sums);
      for (int n = 0; n < 2; ++n) {
        const __m512i ql = _mm512_loadu_si512(p + 64 * n);
        const __m512i qh = _mm512_broadcast_i64x4(
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 128 + 32 * n)));
        // 0xF8: a | (b & c).
        const __m512i w_lo = _mm512_ternarylogic_epi32(
            _mm512_and_si512(ql, m4), _mm512_sllv_epi16(qh, shl), m30, 0xF8);
        const __m512i w_hi = _mm512_ternarylogic_epi32(
            _mm512_and_si512(_mm512_srli_epi16(ql, 4), m4),
            _mm512_srlv_epi16(qh, shr), m30, 0xF8);
        isum = AddScaledPairSums(isum, w_lo, w_hi, a + 128 * n,
                                 sc_idx[2 * n], sc_idx[2 * n + 1], sc);
      }
      uint16_t dh;
      std::memcpy(&dh, p + 208, 2);
      acc[k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum),
                               _mm512_set1_ps(F16ToF32(dh) * da), acc[k]);
    }
  }
  StoreRowSums(acc, r0, w.rows, y);
}

// Unpacks the 6-bit scales and mins (ref::GetScaleMinK4) of 4 Q4_K rows at
// once: lane k of `headers` is the first 16 bytes of row k's super-block
// (d, dmin, 12 scale bytes); lane k of the result is sc[0..7], m[0..7].
VIGIL_VNNI_ATTR HWY_INLINE __m512i UnpackK4Scales(__m512i headers) {
  alignas(64) static constexpr int8_t kX[16] = {4, 5, 6, 7, 12, 13, 14, 15,
                                                8, 9, 10, 11, 12, 13, 14, 15};
  alignas(64) static constexpr int8_t kY[16] = {-1, -1, -1, -1, 4, 5, 6, 7,
                                                -1, -1, -1, -1, 8, 9, 10, 11};
  alignas(64) static constexpr uint8_t kLowMask[16] = {
      63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 255, 255, 255, 255};
  const __m512i x = _mm512_shuffle_epi8(
      headers, _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(kX))));
  const __m512i y = _mm512_shuffle_epi8(
      headers, _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(kY))));
  const __m512i low_mask = _mm512_broadcast_i32x4(
      _mm_load_si128(reinterpret_cast<const __m128i*>(kLowMask)));
  // Bytes 12-15 of each lane (m[4..7]) take the high nibble instead.
  const __m512i low = _mm512_mask_blend_epi8(
      0xF000F000F000F000ull, _mm512_and_si512(x, low_mask),
      _mm512_and_si512(_mm512_srli_epi16(x, 4), _mm512_set1_epi8(0x0F)));
  const __m512i top = _mm512_slli_epi16(
      _mm512_and_si512(_mm512_srli_epi16(y, 6), _mm512_set1_epi8(0x03)), 4);
  return _mm512_or_si512(low, top);
}

// y[r0 .. r0 + 4) for Q4_K: u8 x s8 pair sums (vpmaddubsw) times the int16
// sub-block scales (vpdpwssd), so scaling costs no extra multiply. The
// scales and mins of rows 2p and 2p + 1 are widened to words together
// (`scm16[p]`: row 2p's sc[0..7], m[0..7], then row 2p + 1's), and the mins
// of both rows meet the activation sums in one vpdpwssd.
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamRowsQ4_K(const WeightMatrix& w,
                                                        size_t r0,
                                                        const uint8_t* acts,
                                                        float* y) {
  static_assert(kStreamRows == 4, "one 128-bit lane of scales per row");
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  // Word i of vector v takes sub-block scale 4(v / 2) + (v % 2) + 2(i / 16)
  // of the even row; the odd row's words sit 16 further.
  __m512i sc_idx[2][4];
  for (int odd = 0; odd < 2; ++odd) {
    for (int v = 0; v < 4; ++v) {
      alignas(64) int16_t idx[32];
      for (int i = 0; i < 32; ++i) {
        idx[i] = static_cast<int16_t>(16 * odd + 4 * (v / 2) + v % 2 + 2 * (i / 16));
      }
      sc_idx[odd][v] = _mm512_load_si512(idx);
    }
  }
  // Float lanes 0-7 take dmin of the even row, 8-15 of the odd row (from
  // dd = d0, dmin0, d1, dmin1, ...).
  const __m512i dmin_idx[2] = {
      _mm512_inserti64x4(_mm512_set1_epi32(1), _mm256_set1_epi32(3), 1),
      _mm512_inserti64x4(_mm512_set1_epi32(5), _mm256_set1_epi32(7), 1)};
  alignas(64) int16_t d_idx_words[32] = {0, 1, 8, 9, 16, 17, 24, 25};
  const __m512i d_idx = _mm512_load_si512(d_idx_words);
  RowCursors c(w, r0);
  const uint8_t* const* row = c.row;
  __m512 acc[kStreamRows];
  __m512 acc_min[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
  for (auto& a : acc) a = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 256; ++s) {
    const uint8_t* a = acts + s * kQ4_KStepActBytes;
    c.PrefetchStep(kStreamRows * 144);
    __m512i headers = _mm512_castsi128_si512(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[0] + 144 * s)));
    headers = _mm512_inserti32x4(headers, _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[1] + 144 * s)), 1);
    headers = _mm512_inserti32x4(headers, _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[2] + 144 * s)), 2);
    headers = _mm512_inserti32x4(headers, _mm_loadu_si128(reinterpret_cast<const __m128i*>(row[3] + 144 * s)), 3);
    const __m512i scm = UnpackK4Scales(headers);
    const __m512i scm16[2] = {
        _mm512_cvtepu8_epi16(_mm512_castsi512_si256(scm)),
        _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(scm, 1))};
    // d0, dmin0, d1, dmin1, ... times the activation scale.
    float da;
    std::memcpy(&da, a + 288, 4);
    const __m512 dd = _mm512_castps256_ps512(_mm256_mul_ps(
        _mm256_cvtph_ps(_mm512_castsi512_si128(_mm512_permutexvar_epi16(d_idx, headers))),
        _mm256_set1_ps(da)));
    // Words 8-15 of each row: -sum(q) of each sub-block (they meet the
    // mins; words 0-7 meet zeros).
    const __m512i neg_sums = _mm512_broadcast_i64x4(
        _mm256_load_si256(reinterpret_cast<const __m256i*>(a + 256)));
    for (int pair = 0; pair < 2; ++pair) {
      const __m512i mins = _mm512_dpwssd_epi32(_mm512_setzero_si512(), scm16[pair], neg_sums);
      acc_min[pair] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(mins),
                                      _mm512_permutexvar_ps(dmin_idx[pair], dd), acc_min[pair]);
    }
    for (size_t k = 0; k < kStreamRows; ++k) {
      const uint8_t* qs = row[k] + 144 * s + 16;
      const __m512i sc16 = scm16[k / 2];
      const __m512i* idx = sc_idx[k % 2];
      __m512i isum = _mm512_setzero_si512();
      for (int half = 0; half < 2; ++half) {
        const __m512i raw = _mm512_loadu_si512(qs + 64 * half);
        const __m512i lo = _mm512_and_si512(raw, m4);
        const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
        isum = AddScaledPairSums(isum, lo, hi, a + 128 * half, idx[2 * half],
                                 idx[2 * half + 1], sc16);
      }
      acc[k] = _mm512_fmadd_ps(
          _mm512_cvtepi32_ps(isum),
          _mm512_permutexvar_ps(_mm512_set1_epi32(static_cast<int>(2 * k)), dd), acc[k]);
    }
  }
  // Row 2p + j's mins are float lanes 8j..8j+7 of acc_min[p].
  for (size_t k = 0; k < kStreamRows; ++k) {
    const __m256 half_min = k % 2 ? _mm512_extractf32x8_ps(acc_min[k / 2], 1)
                                  : _mm512_castps512_ps256(acc_min[k / 2]);
    acc[k] = _mm512_add_ps(acc[k], _mm512_castps256_ps512(half_min));
  }
  StoreRowSums(acc, r0, w.rows, y);
}

// y[r0 .. r0 + 4) for Q4_K in the kQuads layout (r0 a multiple of 4): one
// forward stream of 576-byte steps, each the super-block of 4 rows as 9
// vectors whose 128-bit lane k is row k. Vector 0 holds the 4 headers; in
// the others, the low nibbles of a lane are 16 elements of sub-block 2p and
// the high nibbles 16 of sub-block 2p + 1, so the two vectors of a chunk
// pair add up as int16 before one vpdpwssd per sub-block meets the scales
// of the 4 rows (vpshufb within each lane: no cross-lane permutes).
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamQuadsQ4_K(const WeightMatrix& w,
                                                         size_t r0,
                                                         const uint8_t* acts,
                                                         float* y) {
  constexpr size_t kStepBytes = 4 * 144;
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  // Word i of each lane: scale byte j of that lane's row (then the mins,
  // bytes 8-15 of UnpackK4Scales), zero-extended.
  __m512i sc_idx[8], min_idx;
  {
    alignas(64) uint8_t idx[64];
    for (int j = 0; j < 8; ++j) {
      for (int i = 0; i < 64; ++i) idx[i] = i % 2 ? 0x80 : static_cast<uint8_t>(j);
      sc_idx[j] = _mm512_load_si512(idx);
    }
    for (int i = 0; i < 64; ++i) idx[i] = i % 2 ? 0x80 : static_cast<uint8_t>(8 + i % 16 / 2);
    min_idx = _mm512_load_si512(idx);
  }
  // Words 0-15: d of row k (header word 0 of lane k) four times; words
  // 16-31: dmin (word 1).
  alignas(64) int16_t d_words[32];
  for (int i = 0; i < 16; ++i) {
    d_words[i] = static_cast<int16_t>(8 * (i / 4));
    d_words[16 + i] = static_cast<int16_t>(8 * (i / 4) + 1);
  }
  const __m512i d_idx = _mm512_load_si512(d_words);
  const uint8_t* blk = static_cast<const uint8_t*>(w.data) + r0 * w.row_bytes;
  const uint8_t* const end = static_cast<const uint8_t*>(w.data) + w.rows * w.row_bytes;
  __m512 acc = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 256; ++s, blk += kStepBytes) {
    const uint8_t* a = acts + s * kQ4_KQuadsStepActBytes;
    if (blk + kStreamPrefetchBytes < end) PrefetchAhead(blk + kStreamPrefetchBytes, kStepBytes);
    const __m512i headers = _mm512_loadu_si512(blk);
    const __m512i scm = UnpackK4Scales(headers);
    __m512i isum = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p) {
      const __m512i v0 = _mm512_loadu_si512(blk + 64 + 128 * p);
      const __m512i v1 = _mm512_loadu_si512(blk + 128 + 128 * p);
      const auto act = [&](int k) {
        return _mm512_broadcast_i32x4(
            _mm_load_si128(reinterpret_cast<const __m128i*>(a + 64 * p + 16 * k)));
      };
      const __m512i even = _mm512_add_epi16(
          _mm512_maddubs_epi16(_mm512_and_si512(v0, m4), act(0)),
          _mm512_maddubs_epi16(_mm512_and_si512(v1, m4), act(2)));
      const __m512i odd = _mm512_add_epi16(
          _mm512_maddubs_epi16(_mm512_and_si512(_mm512_srli_epi16(v0, 4), m4), act(1)),
          _mm512_maddubs_epi16(_mm512_and_si512(_mm512_srli_epi16(v1, 4), m4), act(3)));
      isum = _mm512_dpwssd_epi32(isum, even, _mm512_shuffle_epi8(scm, sc_idx[2 * p]));
      isum = _mm512_dpwssd_epi32(isum, odd, _mm512_shuffle_epi8(scm, sc_idx[2 * p + 1]));
    }
    const __m512i neg_sums = _mm512_broadcast_i32x4(
        _mm_load_si128(reinterpret_cast<const __m128i*>(a + 256)));
    const __m512i mins = _mm512_dpwssd_epi32(
        _mm512_setzero_si512(), _mm512_shuffle_epi8(scm, min_idx), neg_sums);
    const __m512i dd = _mm512_permutexvar_epi16(d_idx, headers);
    const __m512 part = _mm512_fmadd_ps(
        _mm512_cvtepi32_ps(isum), _mm512_cvtph_ps(_mm512_castsi512_si256(dd)),
        _mm512_mul_ps(_mm512_cvtepi32_ps(mins),
                      _mm512_cvtph_ps(_mm512_extracti64x4_epi64(dd, 1))));
    float da;
    std::memcpy(&da, a + 288, 4);
    acc = _mm512_fmadd_ps(part, _mm512_set1_ps(da), acc);
  }
  StoreQuadSums(acc, r0, y);
}

// y[r0 .. r0 + 4) for Q6_K in the kQuads layout: 840-byte steps of 13
// vectors whose 128-bit lane k is row k (ql chunks 0-7, qh chunks 8-11, the
// 16 int8 scales) and the four d. Lane bytes of a ql chunk hold 16
// consecutive elements of one 16-element group in their low nibbles and of
// another in their high nibbles, so each product vector meets one scale
// per row (in-lane vpshufb of the widened scales); same arithmetic as
// StreamRowsQ6_K, same activation layout (kQ6_KStepActBytes).
VIGIL_VNNI_ATTR HWY_NOINLINE inline void StreamQuadsQ6_K(const WeightMatrix& w,
                                                         size_t r0,
                                                         const uint8_t* acts,
                                                         float* y) {
  constexpr size_t kStepBytes = 4 * 210;
  const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30);
  // Word j of the widened scales, in all 8 word slots of each lane.
  __m512i word_idx[8];
  for (int j = 0; j < 8; ++j) {
    alignas(64) uint8_t idx[64];
    for (int i = 0; i < 64; ++i) idx[i] = static_cast<uint8_t>(2 * j + i % 2);
    word_idx[j] = _mm512_load_si512(idx);
  }
  alignas(64) int32_t lane_of_row[16];
  for (int i = 0; i < 16; ++i) lane_of_row[i] = i / 4;
  const __m512i d_idx = _mm512_load_si512(lane_of_row);
  const uint8_t* blk = static_cast<const uint8_t*>(w.data) + r0 * w.row_bytes;
  const uint8_t* const end = static_cast<const uint8_t*>(w.data) + w.rows * w.row_bytes;
  __m512 acc = _mm512_setzero_ps();
  for (size_t s = 0; s < w.cols / 256; ++s, blk += kStepBytes) {
    const uint8_t* a = acts + s * kQ6_KStepActBytes;
    if (blk + kStreamPrefetchBytes < end) PrefetchAhead(blk + kStreamPrefetchBytes, kStepBytes);
    // Scales widened to words: lane k of sc[0] is row k's sc[0..7], of
    // sc[1] its sc[8..15] (each byte doubled, then shifted down signed).
    const __m512i raw_sc = _mm512_loadu_si512(blk + 12 * 64);
    const __m512i sc[2] = {
        _mm512_srai_epi16(_mm512_unpacklo_epi8(raw_sc, raw_sc), 8),
        _mm512_srai_epi16(_mm512_unpackhi_epi8(raw_sc, raw_sc), 8)};
    // The bias of the stored values: 32 * sc[g] * -sum(q of g).
    __m512i isum = _mm512_dpwssd_epi32(
        _mm512_setzero_si512(), _mm512_slli_epi16(sc[0], 5),
        _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(a + 256))));
    isum = _mm512_dpwssd_epi32(
        isum, _mm512_slli_epi16(sc[1], 5),
        _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(a + 272))));
    for (int n = 0; n < 2; ++n) {
      // qh bits 0-1 / 2-3 / 4-5 / 6-7 of chunk h moved to bits 4-5.
      __m512i qh[2][4];
      for (int h = 0; h < 2; ++h) {
        const __m512i v = _mm512_loadu_si512(blk + 64 * (8 + 2 * n + h));
        qh[h][0] = _mm512_slli_epi16(v, 4);
        qh[h][1] = _mm512_slli_epi16(v, 2);
        qh[h][2] = v;
        qh[h][3] = _mm512_srli_epi16(v, 2);
      }
      for (int c = 0; c < 4; ++c) {
        // Chunk c of the half: low nibbles are group 8n + c, high nibbles
        // group 8n + 4 + c; their qh bits are in chunk c % 2, pair c / 2
        // (low) or c / 2 + 2 (high).
        const __m512i ql = _mm512_loadu_si512(blk + 64 * (4 * n + c));
        // 0xF8: a | (b & c).
        const __m512i w_lo = _mm512_ternarylogic_epi32(
            _mm512_and_si512(ql, m4), qh[c % 2][c / 2], m30, 0xF8);
        const __m512i w_hi = _mm512_ternarylogic_epi32(
            _mm512_and_si512(_mm512_srli_epi16(ql, 4), m4), qh[c % 2][c / 2 + 2], m30, 0xF8);
        const int g_lo = 8 * n + c, g_hi = 8 * n + 4 + c;
        const auto act = [&](int g) {
          return _mm512_broadcast_i32x4(
              _mm_load_si128(reinterpret_cast<const __m128i*>(a + 16 * g)));
        };
        isum = _mm512_dpwssd_epi32(isum, _mm512_maddubs_epi16(w_lo, act(g_lo)),
                                   _mm512_shuffle_epi8(sc[g_lo / 8], word_idx[g_lo % 8]));
        isum = _mm512_dpwssd_epi32(isum, _mm512_maddubs_epi16(w_hi, act(g_hi)),
                                   _mm512_shuffle_epi8(sc[g_hi / 8], word_idx[g_hi % 8]));
      }
    }
    float da;
    std::memcpy(&da, a + 288, 4);
    const __m128 d4 = _mm_cvtph_ps(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(blk + 13 * 64)));
    const __m512 d = _mm512_permutexvar_ps(d_idx, _mm512_castps128_ps512(d4));
    acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_mul_ps(d, _mm512_set1_ps(da)), acc);
  }
  StoreQuadSums(acc, r0, y);
}

// y = w * x for one token, rows split over `pool` in units of 16 rows.
VIGIL_VNNI_ATTR inline void MatMulStream(const WeightMatrix& w, const float* x,
                                         float* y, ThreadPool& pool) {
  thread_local std::vector<int8_t> q;
  thread_local std::vector<float> d;
  thread_local std::vector<int32_t> sums;
  thread_local std::vector<uint8_t> acts_buf;
  if (q.size() < w.cols) {
    q.resize(w.cols);
    d.resize(w.cols / 16);
    sums.resize(w.cols / 16);
  }
  const size_t act_bytes = StreamActBytes(w);
  if (acts_buf.size() < act_bytes + 64) acts_buf.resize(act_bytes + 64);
  auto* acts = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(acts_buf.data()) + 63) & ~uintptr_t{63});
  PackStreamActs(w, x, q.data(), d.data(), sums.data(), acts);
  pool.ParallelFor((w.rows + 15) / 16, 1, [&](size_t b, size_t e, int) {
    const Q4_0StreamIndices ix = MakeQ4_0StreamIndices();
    for (size_t r = 16 * b; r < std::min(16 * e, w.rows); r += kStreamRows) {
      switch (w.type) {
        case gguf::GgmlType::kQ4_0:
          if (w.layout == RowLayout::kQuads) StreamQuadsQ4_0(w, r, acts, y);
          else StreamRowsQ4_0(w, r, acts, ix, y);
          break;
        case gguf::GgmlType::kQ4_K:
          if (w.layout == RowLayout::kQuads) StreamQuadsQ4_K(w, r, acts, y);
          else StreamRowsQ4_K(w, r, acts, y);
          break;
        default:
          if (w.layout == RowLayout::kQuads) StreamQuadsQ6_K(w, r, acts, y);
          else StreamRowsQ6_K(w, r, acts, y);
          break;
      }
    }
  });
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_TARGET == HWY_AVX3_DL
#endif  // VIGIL_KERNELS_MATMUL_VNNI_ROWS_INL_H_
