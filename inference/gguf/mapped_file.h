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

// Move-only owner of one mmap'ed range, unmapped on destruction (the
// common part of MappedFile and AnonymousPages).
class Mapping {
 public:
  Mapping() = default;
  Mapping(void* data, size_t size) : data_(static_cast<uint8_t*>(data)), size_(size) {}
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping();

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Unmap();

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Move-only owner of one read-only file mapping. Thread-safe for concurrent
// reads.
class MappedFile {
 public:
  // Maps the regular file at `path`, or returns kIo naming the path and the
  // OS error. An empty file maps to an empty span (no mapping).
  static Result<MappedFile> Map(const std::string& path);

  std::span<const uint8_t> bytes() const { return {mapping_.data(), mapping_.size()}; }

 private:
  Mapping mapping_;
};

// Move-only owner of private anonymous memory (weights repacked at load),
// asked for in 2 MiB pages. Zero-filled.
class AnonymousPages {
 public:
  // Maps `bytes` (> 0) or returns kIo with the OS error.
  static Result<AnonymousPages> Allocate(size_t bytes);

  uint8_t* data() const { return mapping_.data(); }
  size_t size() const { return mapping_.size(); }

 private:
  Mapping mapping_;
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
