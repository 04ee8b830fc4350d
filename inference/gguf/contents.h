// SPDX-License-Identifier: Apache-2.0
// The parsed state behind a GgufFile, and the parser that fills it.
// Internal to inference/gguf.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "inference/gguf/mapped_file.h"
#include "inference/gguf/metadata.h"
#include "inference/gguf/reader.h"

namespace vigil::gguf {

// Limits that keep a hostile header from driving recursion or allocation.
inline constexpr int kMaxArrayDepth = 8;

struct GgufContents {
  std::string path;
  MappedFile map;              // owns the bytes for Open()
  // Owns the bytes for FromBuffer(): a page-aligned copy, so tensor data
  // is as aligned as in a mapping (exact size, so ASan sees overreads).
  std::unique_ptr<uint8_t, void (*)(void*)> owned{nullptr, &std::free};
  std::span<const uint8_t> bytes;

  uint32_t version = 0;
  uint32_t alignment = kDefaultAlignment;
  uint64_t data_offset = 0;
  std::vector<MetadataEntry> metadata;
  std::unordered_map<std::string_view, size_t> key_index;
  std::vector<TensorInfo> tensors;
  std::unordered_map<std::string_view, size_t> tensor_index;
};

// Parses `c->bytes` into the other fields of `c`, or returns kCorrupt /
// kUnsupported. Views in `c` point into `c->bytes`.
Status ParseGguf(GgufContents* c);

}  // namespace vigil::gguf
