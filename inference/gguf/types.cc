// SPDX-License-Identifier: Apache-2.0
// ggml type traits (spec/gemma4-text.md §1.2). Sizes of types the engine
// cannot compute with are still listed so the reader can lay files out and
// refuse them by name instead of calling them corrupt.
#include "inference/gguf/types.h"

namespace vigil::gguf {
namespace {

struct TraitsRow {
  uint32_t id;
  TypeTraits traits;
};

// Block geometry from ggml's type table (facts, not code).
constexpr TraitsRow kTraits[] = {
    {0, {"F32", 1, 4}},       {1, {"F16", 1, 2}},
    {2, {"Q4_0", 32, 18}},    {3, {"Q4_1", 32, 20}},
    {6, {"Q5_0", 32, 22}},    {7, {"Q5_1", 32, 24}},
    {8, {"Q8_0", 32, 34}},    {9, {"Q8_1", 32, 36}},
    {10, {"Q2_K", 256, 84}},  {11, {"Q3_K", 256, 110}},
    {12, {"Q4_K", 256, 144}}, {13, {"Q5_K", 256, 176}},
    {14, {"Q6_K", 256, 210}}, {15, {"Q8_K", 256, 292}},
    {16, {"IQ2_XXS", 256, 66}}, {17, {"IQ2_XS", 256, 74}},
    {18, {"IQ3_XXS", 256, 98}}, {19, {"IQ1_S", 256, 50}},
    {20, {"IQ4_NL", 32, 18}},   {21, {"IQ3_S", 256, 110}},
    {22, {"IQ2_S", 256, 82}},   {23, {"IQ4_XS", 256, 136}},
    {24, {"I8", 1, 1}},         {25, {"I16", 1, 2}},
    {26, {"I32", 1, 4}},        {27, {"I64", 1, 8}},
    {28, {"F64", 1, 8}},        {29, {"IQ1_M", 256, 56}},
    {30, {"BF16", 1, 2}},       {34, {"TQ1_0", 256, 54}},
    {35, {"TQ2_0", 256, 66}},   {39, {"MXFP4", 32, 17}},
};

}  // namespace

TypeTraits GetTypeTraits(uint32_t type_id) {
  for (const TraitsRow& row : kTraits) {
    if (row.id == type_id) return row.traits;
  }
  return {nullptr, 0, 0};
}

bool IsSupportedWeightType(GgmlType type) {
  switch (type) {
    case GgmlType::kF32:
    case GgmlType::kF16:
    case GgmlType::kBF16:
    case GgmlType::kQ4_0:
    case GgmlType::kQ4_1:
    case GgmlType::kQ5_0:
    case GgmlType::kQ5_1:
    case GgmlType::kQ8_0:
    case GgmlType::kIQ4_NL:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
    case GgmlType::kQ6_K:
      return true;
    default:
      return false;
  }
}

size_t RowBytes(GgmlType type, uint64_t n_elems) {
  const TypeTraits t = GetTypeTraits(static_cast<uint32_t>(type));
  if (t.name == nullptr || n_elems % t.block_elems != 0) return 0;
  const uint64_t blocks = n_elems / t.block_elems;
  if (blocks > SIZE_MAX / t.block_bytes) return 0;
  return static_cast<size_t>(blocks * t.block_bytes);
}

}  // namespace vigil::gguf
