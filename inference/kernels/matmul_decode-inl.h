// SPDX-License-Identifier: Apache-2.0
// Per-target row decoders for MatMul: quantized rows become int16 values with
// one float scale per group (32, or 256 for K-quants whose 6-/8-bit sub-scales
// are folded into the int16 values) and optional per-32 float mins; float
// rows become float32. Layouts: spec/gemma4-text.md §1.3.
// Include guard: the per-target toggle pattern of Highway (foreach_target.h).
#if defined(VIGIL_KERNELS_MATMUL_DECODE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_DECODE_INL_H_
#undef VIGIL_KERNELS_MATMUL_DECODE_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_DECODE_INL_H_
#endif

#include <cstdint>
#include <cstring>

#include "hwy/highway.h"
#include "inference/gguf/types.h"
#include "inference/kernels/scalar_ref.h"

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// int16 lanes per decode step: 32 (AVX-512), 16 (AVX2), 8 (NEON/SSE4).
using D16 = hn::CappedTag<int16_t, 32>;
using V16 = hn::Vec<D16>;

// A decoded row: `q[cols]`, `scale[cols / group]`, `min[cols / 32]`.
struct DecodedRow {
  int16_t* q;
  float* scale;
  float* min;  // written only for types with mins (Q4_1, Q5_1, Q4_K, Q5_K)
};

inline uint16_t LoadU16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

// Returns lanes [k, k + N) of the 32 nibbles of `qs` in element order
// (elements 0..15 are the low nibbles, 16..31 the high ones).
// A template so that `if constexpr` discards `Combine` on 1-lane targets.
template <class D = D16>
HWY_INLINE hn::Vec<D> Nibbles32(const uint8_t* qs, size_t k) {
  const D d16;
  if constexpr (hn::MaxLanes(D()) >= 32) {
    const hn::Half<D> dh;
    const hn::Rebind<uint8_t, hn::Half<D>> du8h;
    const auto raw = hn::PromoteTo(dh, hn::LoadU(du8h, qs));
    const auto lo = hn::And(raw, hn::Set(dh, 0xF));
    const auto hi = hn::ShiftRight<4>(raw);
#if HWY_TARGET != HWY_SCALAR
    return hn::Combine(d16, hi, lo);
#endif
  } else {
    const hn::Rebind<uint8_t, D> du8;
    const auto raw = hn::PromoteTo(d16, hn::LoadU(du8, qs + (k & 15)));
    return k < 16 ? hn::And(raw, hn::Set(d16, 0xF)) : hn::ShiftRight<4>(raw);
  }
}

HWY_INLINE void DecodeQ8_0(const uint8_t* row, size_t cols, DecodedRow out) {
  const D16 d16;
  const hn::Rebind<int8_t, D16> di8;
  const size_t N = hn::Lanes(d16);
  for (size_t b = 0; b < cols / 32; ++b) {
    const uint8_t* blk = row + b * sizeof(gguf::BlockQ8_0);
    out.scale[b] = F16ToF32(LoadU16(blk));
    const int8_t* qs = reinterpret_cast<const int8_t*>(blk + 2);
    for (size_t k = 0; k < 32; k += N) {
      hn::StoreU(hn::PromoteTo(d16, hn::LoadU(di8, qs + k)), d16,
                 out.q + 32 * b + k);
    }
  }
}

HWY_INLINE void DecodeQ4_0(const uint8_t* row, size_t cols, DecodedRow out) {
  const D16 d16;
  const size_t N = hn::Lanes(d16);
  const V16 eight = hn::Set(d16, 8);
  for (size_t b = 0; b < cols / 32; ++b) {
    const uint8_t* blk = row + b * sizeof(gguf::BlockQ4_0);
    out.scale[b] = F16ToF32(LoadU16(blk));
    for (size_t k = 0; k < 32; k += N) {
      hn::StoreU(hn::Sub(Nibbles32(blk + 2, k), eight), d16,
                 out.q + 32 * b + k);
    }
  }
}

// Q4_K and Q5_K: value * 6-bit sub-scale as int16, scale d, min -dmin * m.
template <bool kFive>
HWY_INLINE void DecodeQ45K(const uint8_t* row, size_t cols, DecodedRow out) {
  const D16 d16;
  const hn::Rebind<uint8_t, D16> du8;
  const size_t N = hn::Lanes(d16);
  using Block = std::conditional_t<kFive, gguf::BlockQ5_K, gguf::BlockQ4_K>;
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* blk = row + b * sizeof(Block);
    const float dmin = F16ToF32(LoadU16(blk + 2));
    out.scale[b] = F16ToF32(LoadU16(blk));
    const uint8_t* scales = blk + 4;
    const uint8_t* qh = blk + 16;
    const uint8_t* qs = blk + (kFive ? 48 : 16);
    for (int j = 0; j < 8; ++j) {
      uint8_t sc, m;
      ref::GetScaleMinK4(j, scales, &sc, &m);
      out.min[8 * b + j] = -(dmin * m);
      const V16 vsc = hn::Set(d16, sc);
      for (size_t k = 0; k < 32; k += N) {
        const V16 raw = hn::PromoteTo(d16, hn::LoadU(du8, qs + 32 * (j / 2) + k));
        V16 v = (j & 1) ? hn::ShiftRight<4>(raw) : hn::And(raw, hn::Set(d16, 0xF));
        if constexpr (kFive) {
          const V16 h = hn::PromoteTo(d16, hn::LoadU(du8, qh + k));
          v = hn::Or(v, hn::IfThenElseZero(hn::TestBit(h, hn::Set(d16, 1 << j)),
                                           hn::Set(d16, 16)));
        }
        hn::StoreU(hn::Mul(v, vsc), d16, out.q + 256 * b + 32 * j + k);
      }
    }
  }
}

// Returns the int16 sub-scales for lanes [k, k + N) of run `r` of a Q6_K half
// (element l of the run uses sc[l / 16 + 2r]).
template <class D = D16>
HWY_INLINE hn::Vec<D> Q6Scales(const int8_t* sc, int r, size_t k) {
  const D d16;
  if constexpr (hn::MaxLanes(D()) >= 32) {
    const hn::Half<D> dh;
#if HWY_TARGET != HWY_SCALAR
    return hn::Combine(d16, hn::Set(dh, sc[2 * r + 1]), hn::Set(dh, sc[2 * r]));
#endif
  } else {
    return hn::Set(d16, sc[2 * r + k / 16]);
  }
}

HWY_INLINE void DecodeQ6K(const uint8_t* row, size_t cols, DecodedRow out) {
  const D16 d16;
  const hn::Rebind<uint8_t, D16> du8;
  const size_t N = hn::Lanes(d16);
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* blk = row + b * sizeof(gguf::BlockQ6_K);
    out.scale[b] = F16ToF32(LoadU16(blk + 208));
    for (int n = 0; n < 2; ++n) {
      const uint8_t* ql = blk + 64 * n;
      const uint8_t* qh = blk + 128 + 32 * n;
      const int8_t* sc = reinterpret_cast<const int8_t*>(blk + 192) + 8 * n;
      for (int r = 0; r < 4; ++r) {
        for (size_t k = 0; k < 32; k += N) {
          const V16 l = hn::PromoteTo(d16, hn::LoadU(du8, ql + 32 * (r & 1) + k));
          const V16 h = hn::PromoteTo(d16, hn::LoadU(du8, qh + k));
          const V16 nib = r < 2 ? hn::And(l, hn::Set(d16, 0xF)) : hn::ShiftRight<4>(l);
          const V16 hb = hn::ShiftLeft<4>(
              hn::And(hn::ShiftRightSame(h, 2 * r), hn::Set(d16, 3)));
          const V16 q = hn::Sub(hn::Or(nib, hb), hn::Set(d16, 32));
          hn::StoreU(hn::Mul(q, Q6Scales(sc, r, k)), d16,
                     out.q + 256 * b + 128 * n + 32 * r + k);
        }
      }
    }
  }
}

// Q4_1, Q5_0, Q5_1, IQ4_NL: rare in Gemma files, decoded by the reference.
HWY_INLINE void DecodeGeneric32(gguf::GgmlType type, const uint8_t* row,
                                size_t cols, DecodedRow out) {
  const uint32_t bytes = GetKernelTypeInfo(type).block_bytes;
  ref::DecodedBlock blk;
  for (size_t b = 0; b < cols / 32; ++b) {
    ref::DecodeBlock(type, row + b * bytes, &blk);
    for (int i = 0; i < 32; ++i) out.q[32 * b + i] = static_cast<int16_t>(blk.q[i]);
    out.scale[b] = blk.scale[0];
    out.min[b] = blk.min[0];
  }
}

HWY_INLINE void DecodeRowI16(gguf::GgmlType type, const uint8_t* row,
                             size_t cols, DecodedRow out) {
  switch (type) {
    case gguf::GgmlType::kQ8_0: return DecodeQ8_0(row, cols, out);
    case gguf::GgmlType::kQ4_0: return DecodeQ4_0(row, cols, out);
    case gguf::GgmlType::kQ4_K: return DecodeQ45K<false>(row, cols, out);
    case gguf::GgmlType::kQ5_K: return DecodeQ45K<true>(row, cols, out);
    case gguf::GgmlType::kQ6_K: return DecodeQ6K(row, cols, out);
    default: return DecodeGeneric32(type, row, cols, out);
  }
}

// Writes row `row` (`cols` elements of `type`) as float32 to `out`.
HWY_INLINE void DecodeRowF32(gguf::GgmlType type, const uint8_t* row,
                             size_t cols, float* out) {
  const hn::ScalableTag<float> df;
  const size_t N = hn::Lanes(df);
  size_t i = 0;
  if (type == gguf::GgmlType::kBF16) {
    const hn::Rebind<hwy::bfloat16_t, decltype(df)> dbf;
    const auto* src = reinterpret_cast<const hwy::bfloat16_t*>(row);
    for (; i + N <= cols; i += N) {
      hn::StoreU(hn::PromoteTo(df, hn::LoadU(dbf, src + i)), df, out + i);
    }
  } else if (type == gguf::GgmlType::kF16) {
    const hn::Rebind<hwy::float16_t, decltype(df)> dh;
    const auto* src = reinterpret_cast<const hwy::float16_t*>(row);
    for (; i + N <= cols; i += N) {
      hn::StoreU(hn::PromoteTo(df, hn::LoadU(dh, src + i)), df, out + i);
    }
  } else if (type == gguf::GgmlType::kF32) {
    std::memcpy(out, row, cols * sizeof(float));
    return;
  } else {
    ref::DequantizeRow(type, row, cols, out);
    return;
  }
  for (; i < cols; ++i) {
    const uint16_t h = LoadU16(row + 2 * i);
    out[i] = type == gguf::GgmlType::kBF16 ? Bf16ToF32(h) : F16ToF32(h);
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_MATMUL_DECODE_INL_H_
