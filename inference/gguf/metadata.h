// SPDX-License-Identifier: Apache-2.0
// GGUF metadata value types and the view of one stored value
// (spec/gemma4-text.md §1.1). Shared by the reader and the writer.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::gguf {

// Data alignment when `general.alignment` is absent (spec §1.1).
inline constexpr uint32_t kDefaultAlignment = 32;

// On-disk value type ids (u32); never renumber.
enum class ValueType : uint32_t {
  kU8 = 0,
  kI8 = 1,
  kU16 = 2,
  kI16 = 3,
  kU32 = 4,
  kI32 = 5,
  kF32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kU64 = 10,
  kI64 = 11,
  kF64 = 12,
  kSentinel,
};

// Returns true if `id` is a known value type id.
inline bool ValueTypeValid(uint32_t id) {
  return id < static_cast<uint32_t>(ValueType::kSentinel);
}
// Returns "u32", "string", "array", ...; "unknown" for invalid ids.
const char* ValueTypeName(ValueType type);
// Returns the packed size of a fixed-size scalar type, 0 for string/array.
uint32_t ScalarSize(ValueType type);
// Returns true for u8..i64 (not bool, not floats).
bool IsIntegerType(ValueType type);

// One metadata value as stored in the file. Views point into the file's
// bytes, so they live as long as the `GgufFile` that produced them.
struct MetadataValue {
  ValueType type = ValueType::kSentinel;
  // Scalars: the packed little-endian bytes. Strings: the UTF-8 bytes (no
  // length prefix). Arrays: the packed elements (after elem type + count).
  std::span<const uint8_t> raw;
  // Arrays only: element type and element count.
  ValueType elem_type = ValueType::kSentinel;
  uint64_t count = 0;

  bool is_array() const { return type == ValueType::kArray; }
  std::string_view as_string() const {
    return {reinterpret_cast<const char*>(raw.data()), raw.size()};
  }
};

// One key/value pair in file order.
struct MetadataEntry {
  std::string_view key;
  MetadataValue value;
};

}  // namespace vigil::gguf
