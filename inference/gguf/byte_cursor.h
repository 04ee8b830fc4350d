// SPDX-License-Identifier: Apache-2.0
// Bounds-checked little-endian reads over a byte span, for the GGUF parser.
// Every read checks the bytes that remain first; a short read is kCorrupt
// naming the offset and what was being read. Internal to inference/gguf.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigil::gguf {

static_assert(std::endian::native == std::endian::little,
              "GGUF is little-endian; big-endian hosts are not supported");

class ByteCursor {
 public:
  explicit ByteCursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return bytes_.size() - pos_; }
  uint64_t size() const { return bytes_.size(); }
  const uint8_t* here() const { return bytes_.data() + pos_; }

  // Returns kCorrupt unless `n` more bytes are available.
  Status Need(uint64_t n, std::string_view what) const {
    if (n <= remaining()) return OkStatus();
    return Corrupt("truncated at offset " + std::to_string(pos_) +
                   " reading " + std::string(what) + ": need " +
                   std::to_string(n) + " bytes, " +
                   std::to_string(remaining()) + " left");
  }

  template <typename T>
  Status Read(T* out, std::string_view what) {
    VIGIL_RETURN_IF_ERROR(Need(sizeof(T), what));
    std::memcpy(out, here(), sizeof(T));
    pos_ += sizeof(T);
    return OkStatus();
  }

  // Returns a view of the next `n` bytes and advances past them.
  Status Take(uint64_t n, std::span<const uint8_t>* out,
              std::string_view what) {
    VIGIL_RETURN_IF_ERROR(Need(n, what));
    *out = bytes_.subspan(pos_, n);
    pos_ += n;
    return OkStatus();
  }

  // Reads a GGUF string (u64 length + bytes) as a view into the buffer.
  Status ReadString(std::string_view* out, std::string_view what) {
    uint64_t len = 0;
    VIGIL_RETURN_IF_ERROR(Read(&len, what));
    if (len > remaining()) {
      return Corrupt("string length " + std::to_string(len) + " of " +
                     std::string(what) + " at offset " +
                     std::to_string(pos_ - 8) + " exceeds the " +
                     std::to_string(remaining()) + " bytes left");
    }
    *out = {reinterpret_cast<const char*>(here()), len};
    pos_ += len;
    return OkStatus();
  }

 private:
  std::span<const uint8_t> bytes_;
  uint64_t pos_ = 0;
};

}  // namespace vigil::gguf
