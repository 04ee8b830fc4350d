// SPDX-License-Identifier: Apache-2.0
// GGUF v3 writer: metadata of every type, tensors from memory or streamed
// from a callback (multi-GB benchmark models), atomic file output.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/gguf/metadata.h"
#include "inference/gguf/types.h"

namespace vigil::gguf {

// Fills `chunk` with the tensor bytes that start at byte `offset` within the
// tensor. Called in increasing offset order, chunks of at most a few MiB.
using TensorFiller =
    std::function<Status(uint64_t offset, std::span<uint8_t> chunk)>;

// Builds a GGUF file in memory (metadata + tensor table) and writes it.
// Metadata adders never fail immediately: a duplicate key is remembered and
// returned by `WriteFile`/`WriteToBuffer`, so call sites stay one-liners.
// Thread-compatible.
class GgufWriter {
 public:
  // `alignment` must be a power of two; it is stored as `general.alignment`
  // only when it differs from 32.
  explicit GgufWriter(uint32_t alignment = 32);

  // --- scalars ---
  void AddU8(std::string_view key, uint8_t v);
  void AddI8(std::string_view key, int8_t v);
  void AddU16(std::string_view key, uint16_t v);
  void AddI16(std::string_view key, int16_t v);
  void AddU32(std::string_view key, uint32_t v);
  void AddI32(std::string_view key, int32_t v);
  void AddU64(std::string_view key, uint64_t v);
  void AddI64(std::string_view key, int64_t v);
  void AddF32(std::string_view key, float v);
  void AddF64(std::string_view key, double v);
  void AddBool(std::string_view key, bool v);
  void AddString(std::string_view key, std::string_view v);

  // --- arrays ---
  void AddU8Array(std::string_view key, std::span<const uint8_t> v);
  void AddI32Array(std::string_view key, std::span<const int32_t> v);
  void AddU32Array(std::string_view key, std::span<const uint32_t> v);
  void AddI64Array(std::string_view key, std::span<const int64_t> v);
  void AddF32Array(std::string_view key, std::span<const float> v);
  void AddF64Array(std::string_view key, std::span<const double> v);
  void AddBoolArray(std::string_view key, const std::vector<bool>& v);
  void AddStringArray(std::string_view key,
                      std::span<const std::string> v);
  void AddStringArray(std::string_view key,
                      std::span<const std::string_view> v);
  // Adds a value whose payload (everything after the u32 value type) the
  // caller encoded itself, e.g. nested arrays. See `EncodeArrayHeader`.
  void AddRaw(std::string_view key, ValueType type,
              std::vector<uint8_t> payload);

  // --- tensors --- (`ne` has 1..4 entries, ggml order, ne[0] fastest)
  // Copies `bytes`; returns kInvalidArgument if the size does not match the
  // type and shape, the name is a duplicate, or the shape is invalid.
  Status AddTensor(std::string_view name, GgmlType type,
                   std::span<const uint64_t> ne,
                   std::span<const uint8_t> bytes);
  // Adds an F32 tensor from floats.
  Status AddTensorF32(std::string_view name, std::span<const uint64_t> ne,
                      std::span<const float> values);
  // Adds a tensor whose bytes `fill` produces while writing (nothing held in
  // memory). Same validation as `AddTensor`.
  Status AddTensorStreamed(std::string_view name, GgmlType type,
                           std::span<const uint64_t> ne, TensorFiller fill);

  // Writes `path` atomically (temp file in the same folder + fsync + rename);
  // on any error nothing is left at `path` or as a temp file.
  Status WriteFile(const std::string& path) const;
  // Returns the whole file as bytes (tests, fuzz seeds).
  Result<std::vector<uint8_t>> WriteToBuffer() const;

  size_t n_tensors() const { return tensors_.size(); }
  size_t n_metadata() const { return n_kv_; }

 private:
  struct PendingTensor {
    std::string name;
    GgmlType type;
    std::vector<uint64_t> ne;
    uint64_t n_bytes;
    uint64_t offset;              // relative to the data section
    std::vector<uint8_t> bytes;   // empty when streamed
    TensorFiller fill;
  };
  void BeginValue(std::string_view key, ValueType type);
  Status CheckTensor(std::string_view name, GgmlType type,
                     std::span<const uint64_t> ne, uint64_t* n_bytes) const;
  void AppendTensor(PendingTensor t);
  std::vector<uint8_t> EncodeHeader() const;
  Status WriteAll(const std::function<Status(std::span<const uint8_t>)>& sink)
      const;

  uint32_t alignment_;
  uint64_t n_kv_ = 0;
  std::vector<uint8_t> kv_bytes_;  // encoded key/value pairs
  std::vector<std::string> keys_;
  std::vector<PendingTensor> tensors_;
  uint64_t data_size_ = 0;
  Status deferred_error_;
};

// Encodes an array header (elem type u32 + count u64) for `AddRaw`.
std::vector<uint8_t> EncodeArrayHeader(ValueType elem_type, uint64_t count);

}  // namespace vigil::gguf
