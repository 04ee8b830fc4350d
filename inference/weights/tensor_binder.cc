// SPDX-License-Identifier: Apache-2.0
#include "inference/weights/tensor_binder.h"

#include <cmath>

#include "inference/gguf/names.h"

namespace vigil::weights {
namespace {

std::string Shape(std::initializer_list<uint64_t> ne) {
  std::string s = "[";
  for (uint64_t v : ne) s += (s.size() > 1 ? ", " : "") + std::to_string(v);
  return s + "]";
}

std::string TypeName(gguf::GgmlType type) {
  const char* name = gguf::GetTypeTraits(static_cast<uint32_t>(type)).name;
  return name ? name : "unknown";
}

}  // namespace

Result<const gguf::TensorInfo*> TensorBinder::Find(
    const std::string& name, std::initializer_list<uint64_t> ne,
    bool optional) const {
  const gguf::TensorInfo* t = file_.FindTensor(name);
  if (t == nullptr) {
    if (optional) return static_cast<const gguf::TensorInfo*>(nullptr);
    return NotFound("tensor '" + name + "' missing from " + file_.path());
  }
  uint64_t want[gguf::kMaxDims] = {1, 1, 1, 1};
  size_t i = 0;
  for (uint64_t v : ne) want[i++] = v;
  for (size_t d = 0; d < gguf::kMaxDims; ++d) {
    if (t->ne[d] != want[d]) {
      return Corrupt("tensor '" + name + "' has wrong shape; expected " +
                     Shape(ne) + ", got " + t->ShapeString());
    }
  }
  return t;
}

Result<uint32_t> TensorBinder::Dim(const std::string& name, int dim) const {
  const gguf::TensorInfo* t = file_.FindTensor(name);
  if (t == nullptr) {
    return NotFound("tensor '" + name + "' missing from " + file_.path());
  }
  if (t->ne[dim] < 1 || t->ne[dim] > 65536) {
    return Corrupt("tensor '" + name + "' has implausible shape " +
                   t->ShapeString());
  }
  return static_cast<uint32_t>(t->ne[dim]);
}

Result<kernels::WeightMatrix> TensorBinder::Matrix(
    const std::string& name, std::initializer_list<uint64_t> ne, uint64_t in,
    uint64_t out, bool optional) const {
  VIGIL_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name, ne, optional));
  if (t == nullptr) return kernels::WeightMatrix{};
  if (!gguf::IsSupportedWeightType(t->type)) {
    return Unsupported("tensor '" + name + "' has type " + TypeName(t->type) +
                       ", which this engine cannot compute with");
  }
  const kernels::WeightMatrix m{.type = t->type,
                                .data = t->data,
                                .rows = out,
                                .cols = in,
                                .row_bytes = gguf::RowBytes(t->type, in)};
  VIGIL_RETURN_IF_ERROR(kernels::ValidateWeight(m, name));
  return m;
}

Result<const float*> TensorBinder::Vector(const std::string& name, uint64_t n,
                                          bool optional) const {
  VIGIL_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name, {n}, optional));
  if (t == nullptr) return static_cast<const float*>(nullptr);
  if (t->type != gguf::GgmlType::kF32) {
    return Unsupported("tensor '" + name + "' has type " + TypeName(t->type) +
                       "; expected F32 for a 1-D weight");
  }
  return reinterpret_cast<const float*>(t->data);
}

Result<ClampedLinear> TensorBinder::ClampedMatrix(const std::string& name,
                                                 uint64_t in,
                                                 uint64_t out) const {
  ClampedLinear l;
  VIGIL_ASSIGN_OR_RETURN(l.w, Matrix(name, {in, out}, in, out));
  VIGIL_ASSIGN_OR_RETURN(static_cast<ClampRange&>(l), Clamps(name));
  return l;
}

Result<ClampRange> TensorBinder::Clamps(const std::string& name) const {
  namespace names = gguf::tensor;
  ClampRange r;
  float* slots[] = {&r.in_min, &r.in_max, &r.out_min, &r.out_max};
  const char* which[] = {names::kInputMin, names::kInputMax, names::kOutputMin,
                         names::kOutputMax};
  for (int i = 0; i < 4; ++i) {
    const std::string s = gguf::ClampTensor(name, which[i]);
    VIGIL_ASSIGN_OR_RETURN(const float* v, Vector(s, 1, true));
    if (v == nullptr) continue;
    if (std::isnan(*v)) return Corrupt("clamp scalar '" + s + "' is NaN");
    *slots[i] = *v;
  }
  if (r.in_min > r.in_max || r.out_min > r.out_max) {
    return Corrupt("clamp range of '" + name + "' is empty (min > max)");
  }
  return r;
}

}  // namespace vigil::weights
