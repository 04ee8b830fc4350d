// SPDX-License-Identifier: Apache-2.0
// Binds GGUF tensors to the views the models compute with, checking name,
// shape and type with one error vocabulary for the text, vision and audio
// loaders (STYLE.md §5.4: "tensor 'x' has wrong shape; expected …, got …").
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

#include "common/status.h"
#include "inference/gguf/reader.h"
#include "inference/kernels/matmul.h"

namespace vigil::weights {

// The four optional clamp scalars of a clamped linear
// (spec/gemma4-vision-audio.md §2.6); a missing one means ±infinity.
struct ClampRange {
  float in_min = -std::numeric_limits<float>::infinity();
  float in_max = std::numeric_limits<float>::infinity();
  float out_min = -std::numeric_limits<float>::infinity();
  float out_max = std::numeric_limits<float>::infinity();
};

// A bias-free linear with optional clamps on its input and output,
// y = clamp(W clamp(x)) (HF `Gemma4ClippableLinear`, spec
// gemma4-vision-audio.md §2.6): the vision and audio towers' linears.
struct ClampedLinear : ClampRange {
  kernels::WeightMatrix w;

  bool clamps_input() const {
    return std::isfinite(in_min) || std::isfinite(in_max);
  }
  bool clamps_output() const {
    return std::isfinite(out_min) || std::isfinite(out_max);
  }
};

// Looks tensors up in `file` and checks them; remembers nothing between
// calls. Thread-compatible; `file` must outlive the views it returns.
class TensorBinder {
 public:
  explicit TensorBinder(const gguf::GgufFile& file) : file_(file) {}

  // Returns the tensor with exactly the shape `ne` (ggml order), nullptr if
  // `optional` and absent, kNotFound if absent, kCorrupt on another shape.
  Result<const gguf::TensorInfo*> Find(const std::string& name,
                                       std::initializer_list<uint64_t> ne,
                                       bool optional = false) const;
  // Returns dimension `dim` of `name` when a size is only known from a shape
  // (kCorrupt outside [1, 65536]).
  Result<uint32_t> Dim(const std::string& name, int dim) const;
  // Returns the weight `name` of shape `ne`, viewed as `out` rows of `in`
  // elements (extra dims folded into `in`), of a type the kernels compute
  // with (kUnsupported names the type). An absent optional weight is an
  // empty matrix (`data == nullptr`).
  Result<kernels::WeightMatrix> Matrix(const std::string& name,
                                       std::initializer_list<uint64_t> ne,
                                       uint64_t in, uint64_t out,
                                       bool optional = false) const;
  // Returns a float32 vector of `n` values; nullptr if optional and absent.
  Result<const float*> Vector(const std::string& name, uint64_t n,
                              bool optional = false) const;
  // Returns the linear weight `name` of shape [in, out] with the clamp
  // scalars stored beside it (a missing one means no clamp on that side).
  Result<ClampedLinear> ClampedMatrix(const std::string& name, uint64_t in,
                                      uint64_t out) const;

 private:
  Result<ClampRange> Clamps(const std::string& name) const;

  const gguf::GgufFile& file_;
};

}  // namespace vigil::weights
