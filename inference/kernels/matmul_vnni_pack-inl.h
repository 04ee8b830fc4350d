// SPDX-License-Identifier: Apache-2.0
// AVX-512 VNNI operand packing for the int8 GEMM (matmul_vnni-inl.h):
// weight rows become unsigned bytes (value + type bias) transposed into
// 16-row panels, one dword (4 consecutive elements) per row and lane, so
// `vpdpbusd` multiplies 16 rows by one broadcast activation dword; float
// activations become int8 (Q8_0 / Q8_K rules, bit-exact with scalar_ref) in
// token-interleaved tiles. Only compiled for HWY_AVX3_DL: Highway 1.0.3 has
// no int8 dot product op, so this is the per-ISA intrinsic kernel STYLE.md
// allows; the scalar reference defines the results.
#if defined(VIGIL_KERNELS_MATMUL_VNNI_PACK_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_VNNI_PACK_INL_H_
#undef VIGIL_KERNELS_MATMUL_VNNI_PACK_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_VNNI_PACK_INL_H_
#endif

#include <cstdint>
#include <cstring>

#include "hwy/highway.h"
#include "inference/gguf/types.h"
#include "inference/kernels/scalar_ref.h"

#if HWY_TARGET == HWY_AVX3_DL
#include <immintrin.h>

// Highway's AVX3_DL attribute string names `avxvnni` but not `avx512vnni`.
#define VIGIL_VNNI_ATTR __attribute__((target(HWY_TARGET_STR ",avx512vnni")))

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

// Bytes of one 16-row panel group of `g` elements: g / 4 weight vectors,
// 16 float scales and, for types with mins, 16 float mins.
inline size_t PanelGroupBytes(size_t g, bool mins) {
  return g * 16 + 64 + (mins ? 64 : 0);
}
// Bytes of one activation tile group: per token `g` int8 values, then per
// token int32 `-bias * sum(q)`, float scale `d` and float `d * sum(q)`.
inline size_t ActGroupBytes(size_t g, size_t k_tokens) {
  return k_tokens * (g + 12);
}

// How the int8 GEMM sees a weight type.
struct VnniType {
  size_t group = 32;  // elements per weight scale
  int bias = 0;       // stored byte = value + bias (unsigned for vpdpbusd)
  bool mins = false;  // per-group additive mins (Q4_1, Q5_1, Q4_K, Q5_K)
  bool q8k = false;   // activations follow Q8_K (K-quants) instead of Q8_0
};

inline VnniType GetVnniType(gguf::GgmlType t) {
  using T = gguf::GgmlType;
  VnniType v;
  v.q8k = GetKernelTypeInfo(t).block_elems == 256;
  v.mins = t == T::kQ4_1 || t == T::kQ5_1 || t == T::kQ4_K || t == T::kQ5_K;
  if (t == T::kQ6_K) v.group = 16;
  switch (t) {
    case T::kQ8_0: case T::kIQ4_NL: v.bias = 128; break;
    case T::kQ4_0: v.bias = 8; break;
    case T::kQ5_0: v.bias = 16; break;
    case T::kQ6_K: v.bias = 32; break;
    default: break;
  }
  return v;
}

inline uint16_t VnniLoadU16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

inline int32_t VnniLoadI32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// One weight row decoded to biased bytes `q[cols]`, `scale[cols / group]`
// and `min[cols / group]` (types with mins only).
struct U8Row {
  uint8_t* q;
  float* scale;
  float* min;
};

VIGIL_VNNI_ATTR inline void DecodeU8Q4_0(const uint8_t* row, size_t cols,
                                         U8Row out) {
  const __m128i m4 = _mm_set1_epi8(0x0F);
  for (size_t b = 0; b < cols / 32; ++b) {
    const uint8_t* blk = row + b * 18;
    out.scale[b] = F16ToF32(VnniLoadU16(blk));
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk + 2));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out.q + 32 * b),
                     _mm_and_si128(raw, m4));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out.q + 32 * b + 16),
                     _mm_and_si128(_mm_srli_epi16(raw, 4), m4));
  }
}

VIGIL_VNNI_ATTR inline void DecodeU8Q8_0(const uint8_t* row, size_t cols,
                                         U8Row out) {
  const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
  for (size_t b = 0; b < cols / 32; ++b) {
    const uint8_t* blk = row + b * 34;
    out.scale[b] = F16ToF32(VnniLoadU16(blk));
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 2));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.q + 32 * b),
                        _mm256_xor_si256(q, flip));
  }
}

// Q4_K: sub-block j holds the low (even j) or high (odd j) nibbles of
// qs[32 * (j / 2) ...]; scale d * sc_j, min -dmin * m_j (spec §1.3).
VIGIL_VNNI_ATTR inline void DecodeU8Q4_K(const uint8_t* row, size_t cols,
                                         U8Row out) {
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* blk = row + b * 144;
    const float d = F16ToF32(VnniLoadU16(blk));
    const float dmin = F16ToF32(VnniLoadU16(blk + 2));
    for (int j = 0; j < 8; ++j) {
      uint8_t sc, m;
      ref::GetScaleMinK4(j, blk + 4, &sc, &m);
      out.scale[8 * b + j] = d * sc;
      out.min[8 * b + j] = -(dmin * m);
      const __m256i raw = _mm256_loadu_si256(
          reinterpret_cast<const __m256i*>(blk + 16 + 32 * (j / 2)));
      const __m256i v = (j & 1) ? _mm256_srli_epi16(raw, 4) : raw;
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.q + 256 * b + 32 * j),
                          _mm256_and_si256(v, m4));
    }
  }
}

// Q6_K: 6-bit values (stored unsigned, bias 32), one int8 scale per 16.
VIGIL_VNNI_ATTR inline void DecodeU8Q6_K(const uint8_t* row, size_t cols,
                                         U8Row out) {
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  const __m256i m2 = _mm256_set1_epi8(0x03);
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* blk = row + b * 210;
    const float d = F16ToF32(VnniLoadU16(blk + 208));
    const int8_t* sc = reinterpret_cast<const int8_t*>(blk + 192);
    for (int g = 0; g < 16; ++g) out.scale[16 * b + g] = d * sc[g];
    for (int n = 0; n < 2; ++n) {
      const __m256i qh = _mm256_loadu_si256(
          reinterpret_cast<const __m256i*>(blk + 128 + 32 * n));
      for (int r = 0; r < 4; ++r) {
        const __m256i l = _mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(blk + 64 * n + 32 * (r & 1)));
        const __m256i nib = _mm256_and_si256(r < 2 ? l : _mm256_srli_epi16(l, 4), m4);
        const __m256i h = _mm256_and_si256(
            _mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * r)), m2);
        _mm256_storeu_si256(
            reinterpret_cast<__m256i*>(out.q + 256 * b + 128 * n + 32 * r),
            _mm256_or_si256(nib, _mm256_slli_epi16(h, 4)));
      }
    }
  }
}

// Q4_1, Q5_0, Q5_1, Q5_K, IQ4_NL: rare in Gemma files; scalar reference.
inline void DecodeU8Generic(gguf::GgmlType type, const uint8_t* row,
                            size_t cols, int bias, U8Row out) {
  const KernelTypeInfo info = GetKernelTypeInfo(type);
  ref::DecodedBlock blk;
  for (size_t b = 0; b < cols / info.block_elems; ++b) {
    ref::DecodeBlock(type, row + b * info.block_bytes, &blk);
    const size_t n_groups = blk.n / blk.group;
    for (int i = 0; i < blk.n; ++i) {
      out.q[b * blk.n + i] = static_cast<uint8_t>(blk.q[i] + bias);
    }
    for (size_t g = 0; g < n_groups; ++g) {
      out.scale[b * n_groups + g] = blk.scale[g];
      out.min[b * n_groups + g] = blk.min[g];
    }
  }
}

inline void DecodeRowU8(gguf::GgmlType type, const uint8_t* row, size_t cols,
                        int bias, U8Row out) {
  switch (type) {
    case gguf::GgmlType::kQ4_0: return DecodeU8Q4_0(row, cols, out);
    case gguf::GgmlType::kQ8_0: return DecodeU8Q8_0(row, cols, out);
    case gguf::GgmlType::kQ4_K: return DecodeU8Q4_K(row, cols, out);
    case gguf::GgmlType::kQ6_K: return DecodeU8Q6_K(row, cols, out);
    default: return DecodeU8Generic(type, row, cols, bias, out);
  }
}

// Transposes 16 bytes at each of `src[0..15]` into `out[0..3]`: lane r of
// out[k] is dword k of src[r]. Each 128-bit lane L first gathers rows
// 4L..4L+3, then a 4x4 dword transpose runs inside every lane.
VIGIL_VNNI_ATTR inline void Transpose16x16(const uint8_t* const* src,
                                           size_t offset, __m512i* out) {
  __m512i z[4];
  for (int i = 0; i < 4; ++i) {
    auto ld = [&](int r) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(src[r] + offset));
    };
    // Masked 128-bit broadcasts merge as loads plus blends, which leaves the
    // shuffle port (the decode bottleneck) to the unpacks below.
    __m512i v = _mm512_broadcast_i32x4(ld(i));
    v = _mm512_mask_broadcast_i32x4(v, 0x00F0, ld(4 + i));
    v = _mm512_mask_broadcast_i32x4(v, 0x0F00, ld(8 + i));
    z[i] = _mm512_mask_broadcast_i32x4(v, 0xF000, ld(12 + i));
  }
  const __m512i t0 = _mm512_unpacklo_epi32(z[0], z[1]);
  const __m512i t1 = _mm512_unpackhi_epi32(z[0], z[1]);
  const __m512i t2 = _mm512_unpacklo_epi32(z[2], z[3]);
  const __m512i t3 = _mm512_unpackhi_epi32(z[2], z[3]);
  out[0] = _mm512_unpacklo_epi64(t0, t2);
  out[1] = _mm512_unpackhi_epi64(t0, t2);
  out[2] = _mm512_unpacklo_epi64(t1, t3);
  out[3] = _mm512_unpackhi_epi64(t1, t3);
}

// Writes the panel of 16 decoded rows `rows[r]` (`n_groups` groups of `g`).
VIGIL_VNNI_ATTR inline void TransposePanel(const U8Row* rows, size_t n_groups,
                                           size_t g, bool mins,
                                           uint8_t* panel) {
  const uint8_t* src[16];
  for (int r = 0; r < 16; ++r) src[r] = rows[r].q;
  const size_t bytes = PanelGroupBytes(g, mins);
  for (size_t gi = 0; gi < n_groups; ++gi) {
    uint8_t* dst = panel + gi * bytes;
    for (size_t c = 0; c < g / 16; ++c) {
      __m512i v[4];
      Transpose16x16(src, gi * g + 16 * c, v);
      for (int k = 0; k < 4; ++k) {
        _mm512_storeu_si512(dst + 64 * (4 * c + k), v[k]);
      }
    }
    float* scale = reinterpret_cast<float*>(dst + 16 * g);
    for (int r = 0; r < 16; ++r) scale[r] = rows[r].scale[gi];
    if (mins) {
      for (int r = 0; r < 16; ++r) scale[16 + r] = rows[r].min[gi];
    }
  }
}

// Quantizes one token like ref::QuantizeRowQ8_0 (bit-exact): q[cols] int8,
// d[cols / 32] (fp16-rounded scales), sums[cols / 32].
VIGIL_VNNI_ATTR inline void QuantizeQ8_0(const float* x, size_t cols,
                                         int8_t* q, float* d, int32_t* sums) {
  const __m512 sign = _mm512_set1_ps(-0.0f);
  for (size_t b = 0; b < cols / 32; ++b) {
    const __m512 x0 = _mm512_loadu_ps(x + 32 * b);
    const __m512 x1 = _mm512_loadu_ps(x + 32 * b + 16);
    const float amax = _mm512_reduce_max_ps(
        _mm512_max_ps(_mm512_andnot_ps(sign, x0), _mm512_andnot_ps(sign, x1)));
    d[b] = F16ToF32(F32ToF16(amax / 127.0f));
    const __m512 id = _mm512_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
    const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(x0, id));
    const __m512i q1 = _mm512_cvtps_epi32(_mm512_mul_ps(x1, id));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(q + 32 * b), _mm512_cvtepi32_epi8(q0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(q + 32 * b + 16),
                     _mm512_cvtepi32_epi8(q1));
    sums[b] = _mm512_reduce_add_epi32(_mm512_add_epi32(q0, q1));
  }
}

// Quantizes one token like ref::QuantizeRowQ8_K (bit-exact): the scale
// follows the first element of largest magnitude; d per 256, sums per 16.
VIGIL_VNNI_ATTR inline void QuantizeQ8_K(const float* x, size_t cols,
                                         int8_t* q, float* d, int32_t* sums) {
  const __m512 sign = _mm512_set1_ps(-0.0f);
  for (size_t b = 0; b < cols / 256; ++b) {
    const float* xb = x + 256 * b;
    __m512 vmax = _mm512_setzero_ps();
    for (int i = 0; i < 256; i += 16) {
      vmax = _mm512_max_ps(vmax, _mm512_andnot_ps(sign, _mm512_loadu_ps(xb + i)));
    }
    const float amax = _mm512_reduce_max_ps(vmax);
    if (amax == 0.0f) {
      std::memset(q + 256 * b, 0, 256);
      d[b] = 0.0f;
      for (int g = 0; g < 16; ++g) sums[16 * b + g] = 0;
      continue;
    }
    float max = 0.0f;
    for (int i = 0; i < 256; ++i) {
      if (xb[i] == amax || xb[i] == -amax) {
        max = xb[i];
        break;
      }
    }
    const float iscale = -127.0f / max;
    const __m512 vs = _mm512_set1_ps(iscale);
    const __m512i cap = _mm512_set1_epi32(127);
    for (int g = 0; g < 16; ++g) {
      const __m512i v = _mm512_min_epi32(
          _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(xb + 16 * g), vs)), cap);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(q + 256 * b + 16 * g),
                       _mm512_cvtepi32_epi8(v));
      sums[16 * b + g] = _mm512_reduce_add_epi32(v);
    }
    d[b] = 1.0f / iscale;
  }
}

// Packs tokens [t0, t0 + k_tokens) of `x` (rows of `cols` floats, `n_tokens`
// valid; padding tokens are zero) into one activation tile for groups of
// `vt.group`. `q`, `d`, `sums` are scratch for one token.
VIGIL_VNNI_ATTR inline void PackActTile(const float* x, size_t cols,
                                        size_t t0, size_t k_tokens,
                                        size_t n_tokens, const VnniType& vt,
                                        int8_t* q, float* d, int32_t* sums,
                                        uint8_t* tile) {
  const size_t g = vt.group, n_groups = cols / g;
  const size_t bytes = ActGroupBytes(g, k_tokens);
  for (size_t t = 0; t < k_tokens; ++t) {
    const bool real = t0 + t < n_tokens;
    if (real && vt.q8k) QuantizeQ8_K(x + (t0 + t) * cols, cols, q, d, sums);
    if (real && !vt.q8k) QuantizeQ8_0(x + (t0 + t) * cols, cols, q, d, sums);
    for (size_t gi = 0; gi < n_groups; ++gi) {
      uint8_t* dst = tile + gi * bytes;
      int32_t sum = 0;
      if (real) {
        std::memcpy(dst + t * g, q + gi * g, g);
        // Q8_K sums are per 16: a group of 32 adds two of them.
        sum = vt.q8k ? sums[gi * g / 16] + (g == 32 ? sums[gi * 2 + 1] : 0)
                     : sums[gi];
      } else {
        std::memset(dst + t * g, 0, g);
      }
      const float dt = real ? d[vt.q8k ? gi * g / 256 : gi] : 0.0f;
      const int32_t corr = -vt.bias * sum;
      const float dsum = dt * static_cast<float>(sum);
      uint8_t* tail = dst + k_tokens * g;
      std::memcpy(tail + 4 * t, &corr, 4);
      std::memcpy(tail + 4 * (k_tokens + t), &dt, 4);
      std::memcpy(tail + 4 * (2 * k_tokens + t), &dsum, 4);
    }
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_TARGET == HWY_AVX3_DL
#endif  // VIGIL_KERNELS_MATMUL_VNNI_PACK_INL_H_
