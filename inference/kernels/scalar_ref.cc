// SPDX-License-Identifier: Apache-2.0
// Scalar reference kernels (scalar_ref.h). Every weight block is decoded to
// integers plus one (scale, min) per group so that dequantization and the
// quantized dot product share a single, obviously correct decoder.
#include "inference/kernels/scalar_ref.h"

#include <cmath>
#include <vector>

#include "common/check.h"

namespace vigil::kernels {

using gguf::GgmlType;

uint16_t F32ToF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t ax = x & 0x7FFFFFFFu;
  if (ax >= 0x7F800000u) {  // inf / NaN (keep NaN quiet)
    return static_cast<uint16_t>(sign | 0x7C00u | (ax > 0x7F800000u ? 0x200u : 0));
  }
  if (ax >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // >= 65520
  if (ax < 0x38800000u) {
    // Half subnormal: adding 0.5f aligns the ulp to 2^-24 and rounds (RNE).
    float a;
    std::memcpy(&a, &ax, 4);
    a += 0.5f;
    uint32_t bits;
    std::memcpy(&bits, &a, 4);
    return static_cast<uint16_t>(sign | (bits - 0x3F000000u));
  }
  const uint32_t odd = (ax >> 13) & 1u;
  ax += 0xC8000FFFu + odd;  // re-bias exponent by -112, round to nearest even
  return static_cast<uint16_t>(sign | (ax >> 13));
}

uint16_t F32ToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((u >> 16) | 64);
  return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

KernelTypeInfo GetKernelTypeInfo(GgmlType type) {
  switch (type) {
    case GgmlType::kF32: return {1, 4};
    case GgmlType::kF16: return {1, 2};
    case GgmlType::kBF16: return {1, 2};
    case GgmlType::kQ4_0: return {32, 18};
    case GgmlType::kQ4_1: return {32, 20};
    case GgmlType::kQ5_0: return {32, 22};
    case GgmlType::kQ5_1: return {32, 24};
    case GgmlType::kQ8_0: return {32, 34};
    case GgmlType::kIQ4_NL: return {32, 18};
    case GgmlType::kQ4_K: return {256, 144};
    case GgmlType::kQ5_K: return {256, 176};
    case GgmlType::kQ6_K: return {256, 210};
    default: return {};
  }
}

namespace ref {
namespace {

uint32_t LoadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Q4_0, Q4_1, Q5_0, Q5_1 and IQ4_NL share the "j, j+16" nibble layout.
void DecodeBlock32(GgmlType type, const uint8_t* b, DecodedBlock* out) {
  out->group = 32;
  out->n = 32;
  const uint16_t* h = reinterpret_cast<const uint16_t*>(b);
  const bool has_min = type == GgmlType::kQ4_1 || type == GgmlType::kQ5_1;
  out->scale[0] = F16ToF32(h[0]);
  out->min[0] = has_min ? F16ToF32(h[1]) : 0.0f;
  if (type == GgmlType::kQ8_0) {
    for (int j = 0; j < 32; ++j) out->q[j] = static_cast<int8_t>(b[2 + j]);
    return;
  }
  const bool five = type == GgmlType::kQ5_0 || type == GgmlType::kQ5_1;
  const uint8_t* qh_ptr = b + (has_min ? 4 : 2);
  const uint32_t qh = five ? LoadU32(qh_ptr) : 0;
  const uint8_t* qs = qh_ptr + (five ? 4 : 0);
  const int offset = type == GgmlType::kQ4_0 ? 8 : type == GgmlType::kQ5_0 ? 16 : 0;
  for (int j = 0; j < 16; ++j) {
    int lo = qs[j] & 0xF;
    int hi = qs[j] >> 4;
    if (five) {
      lo |= ((qh >> j) & 1) << 4;
      hi |= ((qh >> (j + 16)) & 1) << 4;
    }
    if (type == GgmlType::kIQ4_NL) {
      out->q[j] = kIq4nlValues[lo];
      out->q[j + 16] = kIq4nlValues[hi];
    } else {
      out->q[j] = lo - offset;
      out->q[j + 16] = hi - offset;
    }
  }
}

void DecodeBlockK45(GgmlType type, const uint8_t* b, DecodedBlock* out) {
  out->group = 32;
  out->n = 256;
  const uint16_t* h = reinterpret_cast<const uint16_t*>(b);
  const float d = F16ToF32(h[0]);
  const float dmin = F16ToF32(h[1]);
  const uint8_t* scales = b + 4;
  const bool five = type == GgmlType::kQ5_K;
  const uint8_t* qh = b + 16;
  const uint8_t* qs = b + (five ? 48 : 16);
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, m;
    GetScaleMinK4(j, scales, &sc, &m);
    out->scale[j] = d * sc;
    out->min[j] = -(dmin * m);
  }
  for (int g = 0; g < 4; ++g) {
    for (int l = 0; l < 32; ++l) {
      int lo = qs[32 * g + l] & 0xF;
      int hi = qs[32 * g + l] >> 4;
      if (five) {
        lo |= ((qh[l] >> (2 * g)) & 1) << 4;
        hi |= ((qh[l] >> (2 * g + 1)) & 1) << 4;
      }
      out->q[64 * g + l] = lo;
      out->q[64 * g + 32 + l] = hi;
    }
  }
}

void DecodeBlockQ6K(const uint8_t* b, DecodedBlock* out) {
  out->group = 16;
  out->n = 256;
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
  uint16_t dbits;
  std::memcpy(&dbits, b + 208, 2);
  const float d = F16ToF32(dbits);
  for (int g = 0; g < 16; ++g) {
    out->scale[g] = d * sc[g];
    out->min[g] = 0.0f;
  }
  for (int n = 0; n < 2; ++n) {
    const uint8_t* l8 = ql + 64 * n;
    const uint8_t* h8 = qh + 32 * n;
    int32_t* y = out->q + 128 * n;
    for (int l = 0; l < 32; ++l) {
      y[l] = ((l8[l] & 0xF) | (((h8[l] >> 0) & 3) << 4)) - 32;
      y[l + 32] = ((l8[l + 32] & 0xF) | (((h8[l] >> 2) & 3) << 4)) - 32;
      y[l + 64] = ((l8[l] >> 4) | (((h8[l] >> 4) & 3) << 4)) - 32;
      y[l + 96] = ((l8[l + 32] >> 4) | (((h8[l] >> 6) & 3) << 4)) - 32;
    }
  }
}

bool IsFloatType(GgmlType type) {
  return type == GgmlType::kF32 || type == GgmlType::kF16 ||
         type == GgmlType::kBF16;
}

float LoadFloatElem(GgmlType type, const uint8_t* row, size_t i) {
  uint16_t h;
  switch (type) {
    case GgmlType::kF32: {
      float f;
      std::memcpy(&f, row + 4 * i, 4);
      return f;
    }
    case GgmlType::kF16: std::memcpy(&h, row + 2 * i, 2); return F16ToF32(h);
    default: std::memcpy(&h, row + 2 * i, 2); return Bf16ToF32(h);
  }
}

}  // namespace

void DecodeBlock(GgmlType type, const uint8_t* b, DecodedBlock* out) {
  switch (type) {
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K: DecodeBlockK45(type, b, out); return;
    case GgmlType::kQ6_K: DecodeBlockQ6K(b, out); return;
    default: DecodeBlock32(type, b, out); return;
  }
}

void GetScaleMinK4(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

void DequantizeRow(GgmlType type, const void* row, size_t n, float* out) {
  const KernelTypeInfo info = GetKernelTypeInfo(type);
  VIGIL_CHECK(info.block_elems != 0 && n % info.block_elems == 0);
  const uint8_t* p = static_cast<const uint8_t*>(row);
  if (IsFloatType(type)) {
    for (size_t i = 0; i < n; ++i) out[i] = LoadFloatElem(type, p, i);
    return;
  }
  DecodedBlock blk;
  for (size_t b = 0; b < n / info.block_elems; ++b) {
    DecodeBlock(type, p + b * info.block_bytes, &blk);
    for (int i = 0; i < blk.n; ++i) {
      const int g = i / blk.group;
      out[b * info.block_elems + i] = blk.scale[g] * blk.q[i] + blk.min[g];
    }
  }
}

void QuantizeRowQ8_0(const float* x, size_t n, gguf::BlockQ8_0* out) {
  VIGIL_CHECK(n % 32 == 0);
  for (size_t b = 0; b < n / 32; ++b, x += 32) {
    float amax = 0.0f;
    for (int j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    out[b].d = F32ToF16(d);
    for (int j = 0; j < 32; ++j) {
      out[b].qs[j] = static_cast<int8_t>(std::nearbyint(x[j] * id));
    }
  }
}

void QuantizeRowQ8_K(const float* x, size_t n, gguf::BlockQ8_K* out) {
  VIGIL_CHECK(n % 256 == 0);
  for (size_t b = 0; b < n / 256; ++b, x += 256) {
    float max = 0.0f, amax = 0.0f;
    for (int j = 0; j < 256; ++j) {
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    gguf::BlockQ8_K& y = out[b];
    std::memset(&y, 0, sizeof(y));
    if (amax == 0.0f) continue;
    const float iscale = -127.0f / max;
    for (int j = 0; j < 256; ++j) {
      const int v = static_cast<int>(std::nearbyint(iscale * x[j]));
      y.qs[j] = static_cast<int8_t>(v > 127 ? 127 : v);
    }
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += y.qs[16 * g + i];
      y.bsums[g] = static_cast<int16_t>(sum);
    }
    y.d = 1.0f / iscale;
  }
}

void DequantizeRowQ8_K(const gguf::BlockQ8_K* in, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = in[i / 256].d * in[i / 256].qs[i % 256];
}

double DotRowF32(GgmlType type, const void* row, const float* x, size_t n) {
  std::vector<float> w(n);
  DequantizeRow(type, row, n, w.data());
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(w[i]) * x[i];
  return sum;
}

double DotRowQuantized(GgmlType type, const void* row, const float* x,
                       size_t n) {
  if (IsFloatType(type)) return DotRowF32(type, row, x, n);
  const KernelTypeInfo info = GetKernelTypeInfo(type);
  VIGIL_CHECK(info.block_elems != 0 && n % info.block_elems == 0);
  // Activation values and their per-element scale (Q8_0: per 32, Q8_K: 256).
  std::vector<int32_t> qa(n);
  std::vector<float> da(n);
  if (info.block_elems == 256) {
    std::vector<gguf::BlockQ8_K> blocks(n / 256);
    QuantizeRowQ8_K(x, n, blocks.data());
    for (size_t i = 0; i < n; ++i) {
      qa[i] = blocks[i / 256].qs[i % 256];
      da[i] = blocks[i / 256].d;
    }
  } else {
    std::vector<gguf::BlockQ8_0> blocks(n / 32);
    QuantizeRowQ8_0(x, n, blocks.data());
    for (size_t i = 0; i < n; ++i) {
      qa[i] = blocks[i / 32].qs[i % 32];
      da[i] = F16ToF32(blocks[i / 32].d);
    }
  }
  const uint8_t* p = static_cast<const uint8_t*>(row);
  DecodedBlock blk;
  double sum = 0.0;
  for (size_t b = 0; b < n / info.block_elems; ++b) {
    DecodeBlock(type, p + b * info.block_bytes, &blk);
    const size_t base = b * info.block_elems;
    for (int g = 0; g < blk.n / blk.group; ++g) {
      int64_t dot = 0, asum = 0;
      for (int i = g * blk.group; i < (g + 1) * blk.group; ++i) {
        dot += static_cast<int64_t>(blk.q[i]) * qa[base + i];
        asum += qa[base + i];
      }
      const double d_act = da[base + g * blk.group];
      sum += d_act * (static_cast<double>(blk.scale[g]) * dot +
                      static_cast<double>(blk.min[g]) * asum);
    }
  }
  return sum;
}

}  // namespace ref
}  // namespace vigil::kernels
