// SPDX-License-Identifier: Apache-2.0
// A tiny valid GGUF built with GgufWriter, plus byte-patching helpers, shared
// by the gguf tests (corruption tables patch known fields of this file).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inference/gguf/writer.h"

namespace vigil::gguf::testing {

// Keys and tensors of `MakeSampleGguf` (names chosen to be unique in bytes).
inline constexpr char kSampleArch[] = "general.architecture";
inline constexpr char kSampleCount[] = "sample.count";
inline constexpr char kSampleList[] = "sample.list";
inline constexpr char kSampleWords[] = "sample.words";
inline constexpr char kTensorA[] = "tensor_a.weight";  // F32 [8, 2]
inline constexpr char kTensorB[] = "tensor_b.weight";  // Q8_0 [32, 2]

// Returns a 2-tensor, 4-key GGUF v3 file (alignment 32).
inline std::vector<uint8_t> MakeSampleGguf() {
  GgufWriter w;
  w.AddString(kSampleArch, "gemma4");
  w.AddU32(kSampleCount, 7);
  const int32_t list[] = {1, -2, 3};
  w.AddI32Array(kSampleList, list);
  const std::string_view words[] = {"alpha", "beta"};
  w.AddStringArray(kSampleWords, words);
  std::vector<float> a(16);
  for (size_t i = 0; i < a.size(); ++i) a[i] = 0.5f * static_cast<float>(i);
  const uint64_t ne_a[] = {8, 2};
  VIGIL_CHECK(w.AddTensorF32(kTensorA, ne_a, a).ok());
  std::vector<uint8_t> b(2 * 34, 0x11);
  const uint64_t ne_b[] = {32, 2};
  VIGIL_CHECK(w.AddTensor(kTensorB, GgmlType::kQ8_0, ne_b, b).ok());
  return std::move(w.WriteToBuffer()).value();
}

// Returns the offset of the first occurrence of `needle`, or SIZE_MAX.
inline size_t FindBytes(const std::vector<uint8_t>& buf,
                        std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= buf.size(); ++i) {
    if (std::memcmp(buf.data() + i, needle.data(), needle.size()) == 0) {
      return i;
    }
  }
  return SIZE_MAX;
}

template <typename T>
void Poke(std::vector<uint8_t>& buf, size_t at, T v) {
  VIGIL_CHECK(at + sizeof(T) <= buf.size());
  std::memcpy(buf.data() + at, &v, sizeof(T));
}

// Offsets of the fields of a tensor info whose name is `name`.
struct TensorInfoOffsets {
  size_t n_dims, ne0, type, offset;
};
inline TensorInfoOffsets LocateTensorInfo(const std::vector<uint8_t>& buf,
                                          std::string_view name,
                                          uint32_t n_dims) {
  // Tensor names occur only in the tensor table of the sample file.
  const size_t at = FindBytes(buf, name);
  VIGIL_CHECK(at != SIZE_MAX);
  const size_t dims = at + name.size();
  return {dims, dims + 4, dims + 4 + 8 * n_dims, dims + 8 + 8 * n_dims};
}

}  // namespace vigil::gguf::testing
