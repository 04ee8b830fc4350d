// SPDX-License-Identifier: Apache-2.0
// Scalar reference for every kernel: half-float conversions, block
// dequantizers (spec/gemma4-text.md §1.3), llama.cpp's activation quantizers
// and reference dot products. Slow and obvious on purpose; tests compare the
// SIMD kernels against these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "inference/gguf/types.h"

namespace vigil::kernels {

// Returns the float value of IEEE half bits `h` (subnormals, inf, NaN kept).
inline float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t em = h & 0x7FFFu;
  float out;
  if (em >= 0x7C00u) {  // inf / NaN
    const uint32_t bits = sign | 0x7F800000u | ((em & 0x3FFu) << 13);
    std::memcpy(&out, &bits, 4);
    return out;
  }
  // Re-bias by multiplying with 2^112: exact for normals and subnormals.
  const uint32_t bits = em << 13;
  float mag;
  std::memcpy(&mag, &bits, 4);
  mag *= 0x1p112f;
  uint32_t mbits;
  std::memcpy(&mbits, &mag, 4);
  mbits |= sign;
  std::memcpy(&out, &mbits, 4);
  return out;
}

// Returns `f` rounded to the nearest IEEE half (ties to even; overflow -> inf).
uint16_t F32ToF16(float f);

// Returns the float value of bfloat16 bits (the upper half of a float32).
inline float Bf16ToF32(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

// Returns `f` rounded to the nearest bfloat16 (ties to even, NaN stays NaN).
uint16_t F32ToBf16(float f);

// Block geometry of a weight type the kernels compute with.
struct KernelTypeInfo {
  uint32_t block_elems = 0;  // 0: the kernels do not support this type
  uint32_t block_bytes = 0;
};
// Returns the geometry of `type`, or zeros if `MatMul` does not support it.
KernelTypeInfo GetKernelTypeInfo(gguf::GgmlType type);
// Returns true if `MatMul` and `DequantizeRow` accept `type`.
inline bool IsKernelSupported(gguf::GgmlType type) {
  return GetKernelTypeInfo(type).block_elems != 0;
}

// The IQ4_NL code book (spec §1.3).
inline constexpr int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35,
                                            -22,  -10,  1,   13,  25,  38,
                                            53,   69,   89,  113};

namespace ref {

// One quantized block as integers: y[i] = scale[i / group] * q[i] + min[...].
struct DecodedBlock {
  int group = 32;  // elements per (scale, min) pair: 16 (Q6_K) or 32
  int n = 32;      // elements in the block
  int32_t q[256];
  float scale[16];
  float min[16];
};
// Decodes one block of a quantized `type` (not F32/F16/BF16) at `block`.
void DecodeBlock(gguf::GgmlType type, const uint8_t* block, DecodedBlock* out);

// Unpacks the 6-bit scale and min of sub-block `j` (0..7) of a Q4_K/Q5_K
// super-block (spec §1.3).
void GetScaleMinK4(int j, const uint8_t* scales, uint8_t* sc, uint8_t* m);

// Dequantizes `n` elements (a multiple of the block size) of a row of `type`
// starting at `row` into `out`.
void DequantizeRow(gguf::GgmlType type, const void* row, size_t n, float* out);

// Quantizes `n` floats (multiple of 32) to Q8_0 blocks: fp16 scale
// amax/127, values rounded to nearest (ties to even) as llama.cpp's x86 path.
void QuantizeRowQ8_0(const float* x, size_t n, gguf::BlockQ8_0* out);
// Quantizes `n` floats (multiple of 256) to Q8_K blocks: float scale
// max/-127 with the sign of the largest magnitude, plus 16-element sums.
void QuantizeRowQ8_K(const float* x, size_t n, gguf::BlockQ8_K* out);
// Dequantizes Q8_K blocks (to test the quantizer).
void DequantizeRowQ8_K(const gguf::BlockQ8_K* in, size_t n, float* out);

// Returns the dot product of a weight row with float activations `x` after
// exact dequantization, accumulated in double (the kFloat32 reference).
double DotRowF32(gguf::GgmlType type, const void* row, const float* x,
                 size_t n);
// Returns the dot product as the kQuantizedActivations path defines it:
// `x` quantized to Q8_0 (32-element block types) or Q8_K (K-quants), integer
// products per block, float scales; F32/F16/BF16 weights use float math.
double DotRowQuantized(gguf::GgmlType type, const void* row, const float* x,
                       size_t n);

}  // namespace ref
}  // namespace vigil::kernels
