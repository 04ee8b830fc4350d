// SPDX-License-Identifier: Apache-2.0
// ggml tensor type ids and quant block layouts (spec/gemma4-text.md §1.2-1.3).
// Shared by the GGUF reader/writer and the kernels; knows nothing else.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil::gguf {

// Values are the on-disk ggml_type ids; never renumber.
enum class GgmlType : uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ8_1 = 9,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kIQ4_NL = 20,
  kI8 = 24,
  kI16 = 25,
  kI32 = 26,
  kIQ4_XS = 23,
  kBF16 = 30,
};

struct TypeTraits {
  const char* name;      // "Q4_K"; nullptr for ids we do not know
  uint32_t block_elems;  // elements per block (1 for plain types)
  uint32_t block_bytes;  // bytes per block
};

// Returns the traits of `type_id`, or {nullptr,0,0} for an unknown id.
TypeTraits GetTypeTraits(uint32_t type_id);
// Returns true if the engine can compute with tensors of this type.
bool IsSupportedWeightType(GgmlType type);
// Returns the bytes of one row of `n_elems` elements, or 0 if `n_elems` is not
// a multiple of the block size or the type is unknown.
size_t RowBytes(GgmlType type, uint64_t n_elems);

// Block layouts, exactly as stored (little-endian). fp16 scales are raw bits.
inline constexpr int kQK = 32;    // elements per Q4_0/Q5_0/Q8_0 block
inline constexpr int kQK_K = 256; // elements per K-quant super-block

struct BlockQ4_0 {
  uint16_t d;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

struct BlockQ4_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_1) == 20);

struct BlockQ5_0 {
  uint16_t d;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_0) == 22);

struct BlockQ5_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

struct BlockQ8_0 {
  uint16_t d;
  int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_0) == 34);

struct BlockQ4_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[12];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

struct BlockQ5_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[12];
  uint8_t qh[kQK_K / 8];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ5_K) == 176);

struct BlockQ6_K {
  uint8_t ql[kQK_K / 2];
  uint8_t qh[kQK_K / 4];
  int8_t scales[kQK_K / 16];
  uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210);

// Activation block used for K-quant dot products (float scale, int8 values,
// sums of 16-element groups), as in llama.cpp's Q8_K.
struct BlockQ8_K {
  float d;
  int8_t qs[kQK_K];
  int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(BlockQ8_K) == 292);

}  // namespace vigil::gguf
