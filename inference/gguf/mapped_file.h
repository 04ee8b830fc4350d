// SPDX-License-Identifier: Apache-2.0
// Read-only whole-file mmap (MAP_SHARED, PROT_READ) with RAII unmapping,
// and paging advice for the parts of a mapping that are read sparsely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"

namespace vigil::gguf {

// Move-only owner of one mapping. Thread-safe for concurrent reads.
class MappedFile {
 public:
  // Maps the regular file at `path`, or returns kIo naming the path and the
  // OS error. An empty file maps to an empty span (no mapping).
  static Result<MappedFile> Map(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  void Unmap();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Advises that the whole pages inside [data, data + bytes) are read a few
// rows at a time (an embedding table looked up per token): no 2 MiB pages
// and no readahead, so a lookup pages in only what it reads. Best effort.
void AdviseSparseReads(const void* data, size_t bytes);

}  // namespace vigil::gguf
