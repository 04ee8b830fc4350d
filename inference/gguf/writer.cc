// SPDX-License-Identifier: Apache-2.0
// GGUF v3 writer (spec/gemma4-text.md §1.1): header and tensor table are
// encoded in memory; tensor data is written after them, each tensor at an
// aligned offset, streamed in chunks so multi-GB models never sit in RAM.
#include "inference/gguf/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "inference/gguf/names.h"

namespace vigil::gguf {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF"
constexpr uint32_t kVersion = 3;
constexpr size_t kChunkBytes = size_t{4} << 20;

template <typename T>
void Append(std::vector<uint8_t>& out, T v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

void AppendString(std::vector<uint8_t>& out, std::string_view s) {
  Append<uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

uint64_t AlignUp(uint64_t n, uint64_t alignment) {
  return (n + alignment - 1) / alignment * alignment;
}

// Makes the rename durable; best effort (some filesystems refuse).
void SyncParentDir(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0              ? "/"
                                                    : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::vector<uint8_t> EncodeArrayHeader(ValueType elem_type, uint64_t count) {
  std::vector<uint8_t> out;
  Append<uint32_t>(out, static_cast<uint32_t>(elem_type));
  Append<uint64_t>(out, count);
  return out;
}

GgufWriter::GgufWriter(uint32_t alignment) : alignment_(alignment) {
  VIGIL_CHECK(alignment != 0 && (alignment & (alignment - 1)) == 0);
  if (alignment != kDefaultAlignment) AddU32(key::kAlignment, alignment);
}

void GgufWriter::BeginValue(std::string_view key, ValueType type) {
  for (const std::string& k : keys_) {
    if (k == key && deferred_error_.ok()) {
      deferred_error_ =
          InvalidArgument("duplicate metadata key '" + std::string(key) + "'");
    }
  }
  keys_.emplace_back(key);
  AppendString(kv_bytes_, key);
  Append<uint32_t>(kv_bytes_, static_cast<uint32_t>(type));
  ++n_kv_;
}

#define VIGIL_GGUF_SCALAR_ADDER(Name, T, Type) \
  void GgufWriter::Name(std::string_view key, T v) { \
    BeginValue(key, ValueType::Type);                \
    Append<T>(kv_bytes_, v);                         \
  }
VIGIL_GGUF_SCALAR_ADDER(AddU8, uint8_t, kU8)
VIGIL_GGUF_SCALAR_ADDER(AddI8, int8_t, kI8)
VIGIL_GGUF_SCALAR_ADDER(AddU16, uint16_t, kU16)
VIGIL_GGUF_SCALAR_ADDER(AddI16, int16_t, kI16)
VIGIL_GGUF_SCALAR_ADDER(AddU32, uint32_t, kU32)
VIGIL_GGUF_SCALAR_ADDER(AddI32, int32_t, kI32)
VIGIL_GGUF_SCALAR_ADDER(AddU64, uint64_t, kU64)
VIGIL_GGUF_SCALAR_ADDER(AddI64, int64_t, kI64)
VIGIL_GGUF_SCALAR_ADDER(AddF32, float, kF32)
VIGIL_GGUF_SCALAR_ADDER(AddF64, double, kF64)
#undef VIGIL_GGUF_SCALAR_ADDER

void GgufWriter::AddBool(std::string_view key, bool v) {
  BeginValue(key, ValueType::kBool);
  Append<uint8_t>(kv_bytes_, v ? 1 : 0);
}

void GgufWriter::AddString(std::string_view key, std::string_view v) {
  BeginValue(key, ValueType::kString);
  AppendString(kv_bytes_, v);
}

#define VIGIL_GGUF_ARRAY_ADDER(Name, T, Type)                            \
  void GgufWriter::Name(std::string_view key, std::span<const T> v) {    \
    BeginValue(key, ValueType::kArray);                                  \
    Append<uint32_t>(kv_bytes_, static_cast<uint32_t>(ValueType::Type)); \
    Append<uint64_t>(kv_bytes_, v.size());                               \
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());          \
    kv_bytes_.insert(kv_bytes_.end(), p, p + v.size_bytes());            \
  }
VIGIL_GGUF_ARRAY_ADDER(AddU8Array, uint8_t, kU8)
VIGIL_GGUF_ARRAY_ADDER(AddI32Array, int32_t, kI32)
VIGIL_GGUF_ARRAY_ADDER(AddU32Array, uint32_t, kU32)
VIGIL_GGUF_ARRAY_ADDER(AddI64Array, int64_t, kI64)
VIGIL_GGUF_ARRAY_ADDER(AddF32Array, float, kF32)
VIGIL_GGUF_ARRAY_ADDER(AddF64Array, double, kF64)
#undef VIGIL_GGUF_ARRAY_ADDER

void GgufWriter::AddBoolArray(std::string_view key,
                              const std::vector<bool>& v) {
  BeginValue(key, ValueType::kArray);
  Append<uint32_t>(kv_bytes_, static_cast<uint32_t>(ValueType::kBool));
  Append<uint64_t>(kv_bytes_, v.size());
  for (bool b : v) Append<uint8_t>(kv_bytes_, b ? 1 : 0);
}

void GgufWriter::AddStringArray(std::string_view key,
                                std::span<const std::string> v) {
  BeginValue(key, ValueType::kArray);
  Append<uint32_t>(kv_bytes_, static_cast<uint32_t>(ValueType::kString));
  Append<uint64_t>(kv_bytes_, v.size());
  for (const std::string& s : v) AppendString(kv_bytes_, s);
}

void GgufWriter::AddStringArray(std::string_view key,
                                std::span<const std::string_view> v) {
  BeginValue(key, ValueType::kArray);
  Append<uint32_t>(kv_bytes_, static_cast<uint32_t>(ValueType::kString));
  Append<uint64_t>(kv_bytes_, v.size());
  for (std::string_view s : v) AppendString(kv_bytes_, s);
}

void GgufWriter::AddRaw(std::string_view key, ValueType type,
                        std::vector<uint8_t> payload) {
  BeginValue(key, type);
  kv_bytes_.insert(kv_bytes_.end(), payload.begin(), payload.end());
}

Status GgufWriter::CheckTensor(std::string_view name, GgmlType type,
                               std::span<const uint64_t> ne,
                               uint64_t* n_bytes) const {
  const std::string ctx = "tensor '" + std::string(name) + "'";
  if (name.empty()) return InvalidArgument("tensor name is empty");
  for (const PendingTensor& t : tensors_) {
    if (t.name == name) return InvalidArgument("duplicate " + ctx);
  }
  if (ne.empty() || ne.size() > 4) {
    return InvalidArgument(ctx + " needs 1..4 dimensions, got " +
                           std::to_string(ne.size()));
  }
  const TypeTraits traits = GetTypeTraits(static_cast<uint32_t>(type));
  if (traits.name == nullptr) return InvalidArgument(ctx + " has unknown type");
  if (ne[0] % traits.block_elems != 0) {
    return InvalidArgument(ctx + " ne[0]=" + std::to_string(ne[0]) +
                           " is not a multiple of the " + traits.name +
                           " block size");
  }
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  uint64_t bytes = ne[0] / traits.block_elems * traits.block_bytes;
  for (size_t d = 1; d < ne.size(); ++d) {
    if (ne[d] != 0 && bytes > kMax / ne[d]) {
      return InvalidArgument(ctx + " is too large");
    }
    bytes *= ne[d];
  }
  *n_bytes = bytes;
  return OkStatus();
}

void GgufWriter::AppendTensor(PendingTensor t) {
  t.offset = AlignUp(data_size_, alignment_);
  data_size_ = t.offset + t.n_bytes;
  tensors_.push_back(std::move(t));
}

Status GgufWriter::AddTensor(std::string_view name, GgmlType type,
                             std::span<const uint64_t> ne,
                             std::span<const uint8_t> bytes) {
  uint64_t n_bytes = 0;
  VIGIL_RETURN_IF_ERROR(CheckTensor(name, type, ne, &n_bytes));
  if (bytes.size() != n_bytes) {
    return InvalidArgument("tensor '" + std::string(name) + "' needs " +
                           std::to_string(n_bytes) + " bytes, got " +
                           std::to_string(bytes.size()));
  }
  AppendTensor({std::string(name), type, {ne.begin(), ne.end()}, n_bytes, 0,
                {bytes.begin(), bytes.end()}, nullptr});
  return OkStatus();
}

Status GgufWriter::AddTensorF32(std::string_view name,
                                std::span<const uint64_t> ne,
                                std::span<const float> values) {
  return AddTensor(name, GgmlType::kF32, ne,
                   {reinterpret_cast<const uint8_t*>(values.data()),
                    values.size_bytes()});
}

Status GgufWriter::AddTensorStreamed(std::string_view name, GgmlType type,
                                     std::span<const uint64_t> ne,
                                     TensorFiller fill) {
  uint64_t n_bytes = 0;
  VIGIL_RETURN_IF_ERROR(CheckTensor(name, type, ne, &n_bytes));
  if (!fill) return InvalidArgument("tensor '" + std::string(name) +
                                    "' has no filler");
  AppendTensor({std::string(name), type, {ne.begin(), ne.end()}, n_bytes, 0,
                {}, std::move(fill)});
  return OkStatus();
}

std::vector<uint8_t> GgufWriter::EncodeHeader() const {
  std::vector<uint8_t> out;
  Append<uint32_t>(out, kMagic);
  Append<uint32_t>(out, kVersion);
  Append<uint64_t>(out, tensors_.size());
  Append<uint64_t>(out, n_kv_);
  out.insert(out.end(), kv_bytes_.begin(), kv_bytes_.end());
  for (const PendingTensor& t : tensors_) {
    AppendString(out, t.name);
    Append<uint32_t>(out, static_cast<uint32_t>(t.ne.size()));
    for (uint64_t n : t.ne) Append<uint64_t>(out, n);
    Append<uint32_t>(out, static_cast<uint32_t>(t.type));
    Append<uint64_t>(out, t.offset);
  }
  out.resize(AlignUp(out.size(), alignment_), 0);
  return out;
}

Status GgufWriter::WriteAll(
    const std::function<Status(std::span<const uint8_t>)>& sink) const {
  VIGIL_RETURN_IF_ERROR(deferred_error_);
  VIGIL_RETURN_IF_ERROR(sink(EncodeHeader()));
  const std::vector<uint8_t> zeros(alignment_, 0);
  std::vector<uint8_t> chunk;
  uint64_t pos = 0;  // within the data section
  for (const PendingTensor& t : tensors_) {
    VIGIL_RETURN_IF_ERROR(sink({zeros.data(), t.offset - pos}));
    if (!t.fill) {
      VIGIL_RETURN_IF_ERROR(sink(t.bytes));
    } else {
      chunk.resize(std::min<uint64_t>(kChunkBytes, t.n_bytes));
      for (uint64_t done = 0; done < t.n_bytes;) {
        const size_t n = std::min<uint64_t>(chunk.size(), t.n_bytes - done);
        Status s = t.fill(done, {chunk.data(), n});
        if (!s.ok()) return s.WithContext("tensor '" + t.name + "'");
        VIGIL_RETURN_IF_ERROR(sink({chunk.data(), n}));
        done += n;
      }
    }
    pos = t.offset + t.n_bytes;
  }
  return sink({zeros.data(), AlignUp(pos, alignment_) - pos});
}

Result<std::vector<uint8_t>> GgufWriter::WriteToBuffer() const {
  std::vector<uint8_t> out;
  VIGIL_RETURN_IF_ERROR(WriteAll([&out](std::span<const uint8_t> b) {
    out.insert(out.end(), b.begin(), b.end());
    return OkStatus();
  }));
  return out;
}

Status GgufWriter::WriteFile(const std::string& path) const {
  VIGIL_RETURN_IF_ERROR(deferred_error_);
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return IoError("cannot create temp file for '" + path +
                   "': " + std::strerror(errno));
  }
  auto sink = [fd, &tmp](std::span<const uint8_t> b) -> Status {
    size_t done = 0;
    while (done < b.size()) {
      const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return IoError("write '" + tmp + "': " + std::strerror(errno));
      }
      done += static_cast<size_t>(n);
    }
    return OkStatus();
  };
  // mkstemp creates 0600; models are meant to be readable like any download.
  Status s = ::fchmod(fd, 0644) == 0
                 ? WriteAll(sink)
                 : IoError("chmod '" + tmp + "': " + std::strerror(errno));
  if (s.ok() && ::fsync(fd) != 0) {
    s = IoError("fsync '" + tmp + "': " + std::strerror(errno));
  }
  if (::close(fd) != 0 && s.ok()) {
    s = IoError("close '" + tmp + "': " + std::strerror(errno));
  }
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = IoError("rename to '" + path + "': " + std::strerror(errno));
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  SyncParentDir(path);
  return s;
}

}  // namespace vigil::gguf
