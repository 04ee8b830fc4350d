// SPDX-License-Identifier: Apache-2.0
// Typed metadata getters of GgufFile. Values were bounds-checked by the
// parser, so these only check types and value ranges and name the key.
#include <cstring>
#include <limits>
#include <string>

#include "inference/gguf/contents.h"
#include "inference/gguf/reader.h"

namespace vigil::gguf {
namespace {

// An integer of any stored width, widened without loss.
struct WideInt {
  bool negative = false;
  uint64_t magnitude = 0;  // |value|
};

WideInt LoadInteger(ValueType type, const uint8_t* p) {
  auto load = [p](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  int64_t s = 0;
  switch (type) {
    case ValueType::kU8: return {false, load(uint8_t{})};
    case ValueType::kU16: return {false, load(uint16_t{})};
    case ValueType::kU32: return {false, load(uint32_t{})};
    case ValueType::kU64: return {false, load(uint64_t{})};
    case ValueType::kI8: s = load(int8_t{}); break;
    case ValueType::kI16: s = load(int16_t{}); break;
    case ValueType::kI32: s = load(int32_t{}); break;
    case ValueType::kI64: s = load(int64_t{}); break;
    default: break;
  }
  if (s >= 0) return {false, static_cast<uint64_t>(s)};
  return {true, 0 - static_cast<uint64_t>(s)};
}

bool FitsU32(WideInt v) {
  return !v.negative && v.magnitude <= std::numeric_limits<uint32_t>::max();
}
bool FitsI32(WideInt v) {
  return v.negative ? v.magnitude <= uint64_t{1} << 31
                    : v.magnitude <= std::numeric_limits<int32_t>::max();
}
int32_t ToI32(WideInt v) {
  return v.negative ? static_cast<int32_t>(0 - v.magnitude)
                    : static_cast<int32_t>(v.magnitude);
}
std::string ToString(WideInt v) {
  std::string out = std::to_string(v.magnitude);
  if (v.negative) out.insert(out.begin(), '-');
  return out;
}

std::string TypeDesc(const MetadataValue& v) {
  if (!v.is_array()) return ValueTypeName(v.type);
  return std::string(ValueTypeName(v.elem_type)) + "[" +
         std::to_string(v.count) + "]";
}

Status WrongType(std::string_view key, const MetadataValue& v,
                 std::string_view expected) {
  return Corrupt("metadata key '" + std::string(key) + "' has type " +
                 TypeDesc(v) + ", expected " + std::string(expected));
}

Status OutOfRangeValue(std::string_view key, WideInt v,
                       std::string_view expected) {
  return Corrupt("metadata key '" + std::string(key) + "' is " + ToString(v) +
                 ", expected a value that fits " + std::string(expected));
}

// Converts integer array elements with `fits`/`convert`, naming the index.
template <typename T, typename Fits, typename Convert>
Result<std::vector<T>> IntArray(std::string_view key, const MetadataValue& v,
                                const char* expected, Fits fits,
                                Convert convert) {
  if (!v.is_array() || !IsIntegerType(v.elem_type)) {
    return WrongType(key, v, std::string(expected) + " array");
  }
  const uint32_t size = ScalarSize(v.elem_type);
  std::vector<T> out(v.count);
  for (uint64_t i = 0; i < v.count; ++i) {
    const WideInt w = LoadInteger(v.elem_type, v.raw.data() + i * size);
    if (!fits(w)) {
      return Corrupt("metadata key '" + std::string(key) + "'[" +
                     std::to_string(i) + "] is " + ToString(w) +
                     ", expected a value that fits " + expected);
    }
    out[i] = convert(w);
  }
  return out;
}

}  // namespace

#define VIGIL_GGUF_REQUIRE(var, key)                                     \
  const MetadataValue* var = Find(key);                                  \
  if (var == nullptr) {                                                  \
    return NotFound("metadata key '" + std::string(key) +                \
                    "' not found in " + c_->path);                       \
  }

Result<std::string_view> GgufFile::GetString(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (v->type != ValueType::kString) return WrongType(key, *v, "string");
  return v->as_string();
}

Result<uint32_t> GgufFile::GetU32(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!IsIntegerType(v->type)) return WrongType(key, *v, "u32");
  const WideInt w = LoadInteger(v->type, v->raw.data());
  if (!FitsU32(w)) return OutOfRangeValue(key, w, "u32");
  return static_cast<uint32_t>(w.magnitude);
}

Result<int32_t> GgufFile::GetI32(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!IsIntegerType(v->type)) return WrongType(key, *v, "i32");
  const WideInt w = LoadInteger(v->type, v->raw.data());
  if (!FitsI32(w)) return OutOfRangeValue(key, w, "i32");
  return ToI32(w);
}

Result<uint64_t> GgufFile::GetU64(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!IsIntegerType(v->type)) return WrongType(key, *v, "u64");
  const WideInt w = LoadInteger(v->type, v->raw.data());
  if (w.negative) return OutOfRangeValue(key, w, "u64");
  return w.magnitude;
}

Result<float> GgufFile::GetF32(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (v->type == ValueType::kF32) {
    float f;
    std::memcpy(&f, v->raw.data(), 4);
    return f;
  }
  if (v->type == ValueType::kF64) {
    double d;
    std::memcpy(&d, v->raw.data(), 8);
    return static_cast<float>(d);
  }
  return WrongType(key, *v, "f32");
}

Result<bool> GgufFile::GetBool(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (v->type != ValueType::kBool) return WrongType(key, *v, "bool");
  return v->raw[0] != 0;
}

Result<std::string_view> GgufFile::GetStringOr(
    std::string_view key, std::string_view fallback) const {
  if (!Has(key)) return fallback;
  return GetString(key);
}

Result<uint32_t> GgufFile::GetU32Or(std::string_view key,
                                    uint32_t fallback) const {
  if (!Has(key)) return fallback;
  return GetU32(key);
}

Result<float> GgufFile::GetF32Or(std::string_view key, float fallback) const {
  if (!Has(key)) return fallback;
  return GetF32(key);
}

Result<bool> GgufFile::GetBoolOr(std::string_view key, bool fallback) const {
  if (!Has(key)) return fallback;
  return GetBool(key);
}

Result<std::vector<int32_t>> GgufFile::GetI32Array(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  return IntArray<int32_t>(key, *v, "i32", FitsI32, ToI32);
}

Result<std::vector<uint32_t>> GgufFile::GetU32Array(
    std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  return IntArray<uint32_t>(key, *v, "u32", FitsU32, [](WideInt w) {
    return static_cast<uint32_t>(w.magnitude);
  });
}

Result<std::vector<float>> GgufFile::GetF32Array(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array() || (v->elem_type != ValueType::kF32 &&
                         v->elem_type != ValueType::kF64)) {
    return WrongType(key, *v, "f32 array");
  }
  std::vector<float> out(v->count);
  if (v->count == 0) return out;  // data() may be null: no memcpy
  if (v->elem_type == ValueType::kF32) {
    std::memcpy(out.data(), v->raw.data(), v->count * sizeof(float));
    return out;
  }
  for (uint64_t i = 0; i < v->count; ++i) {
    double d;
    std::memcpy(&d, v->raw.data() + i * 8, 8);
    out[i] = static_cast<float>(d);
  }
  return out;
}

Result<std::vector<bool>> GgufFile::GetBoolArray(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array() || v->elem_type != ValueType::kBool) {
    return WrongType(key, *v, "bool array");
  }
  std::vector<bool> out(v->count);
  for (uint64_t i = 0; i < v->count; ++i) out[i] = v->raw[i] != 0;
  return out;
}

Result<std::vector<std::string_view>> GgufFile::GetStringArray(
    std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array() || v->elem_type != ValueType::kString) {
    return WrongType(key, *v, "string array");
  }
  // The parser checked every length, so walk without re-checking bounds
  // beyond a cheap guard.
  std::vector<std::string_view> out;
  out.reserve(v->count);
  const uint8_t* p = v->raw.data();
  const uint8_t* end = p + v->raw.size();
  for (uint64_t i = 0; i < v->count; ++i) {
    uint64_t len;
    VIGIL_CHECK(end - p >= 8);
    std::memcpy(&len, p, 8);
    p += 8;
    VIGIL_CHECK(len <= static_cast<uint64_t>(end - p));
    out.emplace_back(reinterpret_cast<const char*>(p), len);
    p += len;
  }
  return out;
}

Result<uint64_t> GgufFile::GetArrayLength(std::string_view key) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array()) return WrongType(key, *v, "array");
  return v->count;
}

Result<std::vector<uint32_t>> GgufFile::GetPerLayerU32(
    std::string_view key, uint32_t n_layers) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array()) {
    VIGIL_ASSIGN_OR_RETURN(uint32_t scalar, GetU32(key));
    return std::vector<uint32_t>(n_layers, scalar);
  }
  if (v->count != n_layers) {
    return Corrupt("metadata key '" + std::string(key) + "' has " +
                   std::to_string(v->count) + " entries, expected " +
                   std::to_string(n_layers) + " (one per layer)");
  }
  return GetU32Array(key);
}

Result<std::vector<bool>> GgufFile::GetPerLayerBool(std::string_view key,
                                                    uint32_t n_layers) const {
  VIGIL_GGUF_REQUIRE(v, key);
  if (!v->is_array()) {
    VIGIL_ASSIGN_OR_RETURN(bool scalar, GetBool(key));
    return std::vector<bool>(n_layers, scalar);
  }
  if (v->count != n_layers) {
    return Corrupt("metadata key '" + std::string(key) + "' has " +
                   std::to_string(v->count) + " entries, expected " +
                   std::to_string(n_layers) + " (one per layer)");
  }
  return GetBoolArray(key);
}

#undef VIGIL_GGUF_REQUIRE

}  // namespace vigil::gguf
