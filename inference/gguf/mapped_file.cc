// SPDX-License-Identifier: Apache-2.0
#include "inference/gguf/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace vigil::gguf {
namespace {

Status OsError(const std::string& what, const std::string& path) {
  return IoError(what + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

Result<MappedFile> MappedFile::Map(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsError("cannot open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = OsError("cannot stat", path);
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError("'" + path + "' is not a regular file");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  MappedFile file;
  if (size == 0) {
    ::close(fd);
    return file;
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  Status map_error = p == MAP_FAILED ? OsError("cannot mmap", path) : Status();
  ::close(fd);  // the mapping keeps the file referenced
  if (!map_error.ok()) return map_error;
  // Decoding streams every weight once per token: pages read in as 2 MiB
  // folios (where the kernel and filesystem can) cost far fewer TLB misses.
  // Best effort: without THP support this is a no-op.
  (void)::madvise(p, size, MADV_HUGEPAGE);
  file.mapping_ = Mapping(p, size);
  return file;
}

Mapping::Mapping(Mapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Mapping::~Mapping() { Unmap(); }

void Mapping::Unmap() {
  if (data_ != nullptr) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

Result<AnonymousPages> AnonymousPages::Allocate(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    return IoError("cannot allocate " + std::to_string(bytes) +
                   " bytes: " + std::strerror(errno));
  }
  (void)::madvise(p, bytes, MADV_HUGEPAGE);
  AnonymousPages pages;
  pages.mapping_ = Mapping(p, bytes);
  return pages;
}

namespace {

// Applies `advice` to the whole pages inside [data, data + bytes): partial
// pages at the ends also hold neighbouring data.
void AdviseInteriorPages(const void* data, size_t bytes, int advice) {
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<uintptr_t>(data);
  if (page == 0) return;
  const uintptr_t first = (begin + page - 1) / page * page;
  const uintptr_t last = (begin + bytes) / page * page;
  if (last <= first) return;
  (void)::madvise(reinterpret_cast<void*>(first), last - first, advice);
}

}  // namespace

void ReleasePages(const void* data, size_t bytes) {
  AdviseInteriorPages(data, bytes, MADV_DONTNEED);
}

void AdviseSparseReads(const void* data, size_t bytes) {
  AdviseInteriorPages(data, bytes, MADV_NOHUGEPAGE);
  AdviseInteriorPages(data, bytes, MADV_RANDOM);
}

}  // namespace vigil::gguf
