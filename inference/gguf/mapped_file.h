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

// Move-only owner of private anonymous memory (weights repacked at load),
// asked for in 2 MiB pages. Zero-filled.
class AnonymousPages {
 public:
  // Maps `bytes` (> 0) or returns kIo with the OS error.
  static Result<AnonymousPages> Allocate(size_t bytes);

  AnonymousPages() = default;
  AnonymousPages(AnonymousPages&& other) noexcept;
  AnonymousPages& operator=(AnonymousPages&& other) noexcept;
  AnonymousPages(const AnonymousPages&) = delete;
  AnonymousPages& operator=(const AnonymousPages&) = delete;
  ~AnonymousPages();

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  AnonymousPages(uint8_t* data, size_t size) : data_(data), size_(size) {}
  void Unmap();

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Drops the whole pages inside [data, data + bytes) of a file mapping from
// this process (their contents were copied and are not read here again); a
// later read pages them back in from the file. Best effort.
void ReleasePages(const void* data, size_t bytes);

// Advises that the whole pages inside [data, data + bytes) are read a few
// rows at a time (an embedding table looked up per token): no 2 MiB pages
// and no readahead, so a lookup pages in only what it reads. Best effort.
void AdviseSparseReads(const void* data, size_t bytes);

}  // namespace vigil::gguf
