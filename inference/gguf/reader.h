// SPDX-License-Identifier: Apache-2.0
// Bounds-checked GGUF v2/v3 reader over a read-only mmap
// (spec/gemma4-text.md §1, spec/gemma4-vision-audio.md §2). Knows nothing
// about models: it only parses the container and hands out typed views.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/gguf/metadata.h"
#include "inference/gguf/types.h"

namespace vigil::gguf {

inline constexpr uint32_t kMaxDims = 4;

// One entry of the tensor table, validated against the file.
struct TensorInfo {
  std::string_view name;  // view into the file bytes
  GgmlType type = GgmlType::kF32;
  uint32_t n_dims = 0;
  uint64_t ne[kMaxDims] = {1, 1, 1, 1};  // unused dims are 1; ne[0] fastest
  uint64_t offset = 0;          // relative to the data section, aligned
  const uint8_t* data = nullptr;  // into the mapping; n_bytes long
  uint64_t n_bytes = 0;

  // Returns ne[0]*ne[1]*ne[2]*ne[3] (checked for overflow at open time).
  uint64_t n_elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  // Returns the number of rows (ne[1]*ne[2]*ne[3]).
  uint64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
  // Returns "[256, 768]" (n_dims entries, ggml order).
  std::string ShapeString() const;
};

struct GgufContents;  // defined in reader.cc

// An opened GGUF file. Move-only; tensor data stays mapped (MAP_SHARED,
// PROT_READ) until destruction. Every view returned (names, strings, tensor
// data) is valid while this object lives, including after a move.
// Thread-safe: all const methods may be called concurrently after `Open`.
class GgufFile {
 public:
  // Maps `path` read-only and parses it, or returns kIo (cannot open/map),
  // kCorrupt (inconsistent bytes) or kUnsupported (version, tensor type).
  static Result<GgufFile> Open(const std::string& path);
  // Parses a page-aligned copy of `bytes` (tests, fuzzing). Same errors as
  // `Open`.
  static Result<GgufFile> FromBuffer(std::span<const uint8_t> bytes);

  GgufFile(GgufFile&&) noexcept;
  GgufFile& operator=(GgufFile&&) noexcept;
  GgufFile(const GgufFile&) = delete;
  GgufFile& operator=(const GgufFile&) = delete;
  ~GgufFile();

  // --- container facts ---
  uint32_t version() const;
  uint32_t alignment() const;
  uint64_t file_size() const;
  uint64_t data_offset() const;  // absolute start of the data section
  // Returns the path given to `Open`, or "<buffer>".
  const std::string& path() const;

  // --- metadata ---
  // All entries in file order.
  const std::vector<MetadataEntry>& metadata() const;
  bool Has(std::string_view key) const;
  // Returns the stored value, or nullptr if `key` is absent.
  const MetadataValue* Find(std::string_view key) const;

  // Typed getters return kNotFound naming the key when it is absent and
  // kCorrupt naming the key and both types when the stored type differs.
  Result<std::string_view> GetString(std::string_view key) const;
  // Accepts any integer type whose value fits in u32.
  Result<uint32_t> GetU32(std::string_view key) const;
  // Accepts any integer type whose value fits in i32.
  Result<int32_t> GetI32(std::string_view key) const;
  // Accepts any non-negative integer type.
  Result<uint64_t> GetU64(std::string_view key) const;
  // Accepts f32 and f64.
  Result<float> GetF32(std::string_view key) const;
  Result<bool> GetBool(std::string_view key) const;

  // Same, but return `fallback` when the key is absent (a wrong type is
  // still an error).
  Result<std::string_view> GetStringOr(std::string_view key,
                                       std::string_view fallback) const;
  Result<uint32_t> GetU32Or(std::string_view key, uint32_t fallback) const;
  Result<float> GetF32Or(std::string_view key, float fallback) const;
  Result<bool> GetBoolOr(std::string_view key, bool fallback) const;

  // Array getters copy into a vector (string arrays return views into the
  // mapping, so 262,144 tokens cost one pass and no string copies).
  // Integer getters accept arrays of any integer type whose values fit.
  Result<std::vector<int32_t>> GetI32Array(std::string_view key) const;
  Result<std::vector<uint32_t>> GetU32Array(std::string_view key) const;
  // Accepts f32 and f64 arrays.
  Result<std::vector<float>> GetF32Array(std::string_view key) const;
  Result<std::vector<bool>> GetBoolArray(std::string_view key) const;
  Result<std::vector<std::string_view>> GetStringArray(
      std::string_view key) const;
  // Returns the element count of an array key (any element type).
  Result<uint64_t> GetArrayLength(std::string_view key) const;

  // Per-layer keys stored as a scalar or as an array (spec §1.1:
  // `feed_forward_length`, `attention.head_count[_kv]`): a scalar integer is
  // broadcast to `n_layers` values; an integer array must have exactly
  // `n_layers` entries (else kCorrupt "expected 35 entries, got 12").
  Result<std::vector<uint32_t>> GetPerLayerU32(std::string_view key,
                                               uint32_t n_layers) const;
  // Same for bools (`sliding_window_pattern`): scalar broadcast or bool[n].
  Result<std::vector<bool>> GetPerLayerBool(std::string_view key,
                                            uint32_t n_layers) const;

  // --- tensors ---
  // All tensors in file order.
  const std::vector<TensorInfo>& tensors() const;
  // Returns the tensor named `name`, or nullptr.
  const TensorInfo* FindTensor(std::string_view name) const;
  // Returns the tensor or kNotFound "tensor 'x' not found in <path>".
  Result<const TensorInfo*> GetTensor(std::string_view name) const;

 private:
  explicit GgufFile(std::unique_ptr<GgufContents> contents);
  std::unique_ptr<GgufContents> c_;
};

}  // namespace vigil::gguf
