// SPDX-License-Identifier: Apache-2.0
// GgufFile: opening (mmap or buffer copy), container facts and the tensor
// table. Parsing lives in parse.cc, typed metadata getters in getters.cc.
#include "inference/gguf/reader.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include "inference/gguf/contents.h"

namespace vigil::gguf {

// Alignment of FromBuffer copies: a page, like an mmap base.
constexpr size_t kBufferAlignment = 4096;

const char* ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kU8: return "u8";
    case ValueType::kI8: return "i8";
    case ValueType::kU16: return "u16";
    case ValueType::kI16: return "i16";
    case ValueType::kU32: return "u32";
    case ValueType::kI32: return "i32";
    case ValueType::kF32: return "f32";
    case ValueType::kBool: return "bool";
    case ValueType::kString: return "string";
    case ValueType::kArray: return "array";
    case ValueType::kU64: return "u64";
    case ValueType::kI64: return "i64";
    case ValueType::kF64: return "f64";
    case ValueType::kSentinel: break;
  }
  return "unknown";
}

uint32_t ScalarSize(ValueType type) {
  switch (type) {
    case ValueType::kU8:
    case ValueType::kI8:
    case ValueType::kBool: return 1;
    case ValueType::kU16:
    case ValueType::kI16: return 2;
    case ValueType::kU32:
    case ValueType::kI32:
    case ValueType::kF32: return 4;
    case ValueType::kU64:
    case ValueType::kI64:
    case ValueType::kF64: return 8;
    default: return 0;
  }
}

bool IsIntegerType(ValueType type) {
  switch (type) {
    case ValueType::kU8:
    case ValueType::kI8:
    case ValueType::kU16:
    case ValueType::kI16:
    case ValueType::kU32:
    case ValueType::kI32:
    case ValueType::kU64:
    case ValueType::kI64: return true;
    default: return false;
  }
}

std::string TensorInfo::ShapeString() const {
  std::string out = "[";
  for (uint32_t d = 0; d < n_dims && d < kMaxDims; ++d) {
    if (d > 0) out += ", ";
    out += std::to_string(ne[d]);
  }
  return out + "]";
}

Result<GgufFile> GgufFile::Open(const std::string& path) {
  auto c = std::make_unique<GgufContents>();
  c->path = path;
  VIGIL_ASSIGN_OR_RETURN(c->map, MappedFile::Map(path));
  c->bytes = c->map.bytes();
  Status s = ParseGguf(c.get());
  if (!s.ok()) return s.WithContext(path);
  return GgufFile(std::move(c));
}

Result<GgufFile> GgufFile::FromBuffer(std::span<const uint8_t> bytes) {
  auto c = std::make_unique<GgufContents>();
  c->path = "<buffer>";
  if (!bytes.empty()) {
    void* p = nullptr;
    if (::posix_memalign(&p, kBufferAlignment, bytes.size()) != 0) {
      return OutOfRange("cannot allocate " + std::to_string(bytes.size()) +
                        " bytes for a GGUF buffer");
    }
    c->owned.reset(static_cast<uint8_t*>(p));
    std::memcpy(p, bytes.data(), bytes.size());
    c->bytes = {c->owned.get(), bytes.size()};
  }
  VIGIL_RETURN_IF_ERROR(ParseGguf(c.get()));
  return GgufFile(std::move(c));
}

GgufFile::GgufFile(std::unique_ptr<GgufContents> contents)
    : c_(std::move(contents)) {}
GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

uint32_t GgufFile::version() const { return c_->version; }
uint32_t GgufFile::alignment() const { return c_->alignment; }
uint64_t GgufFile::file_size() const { return c_->bytes.size(); }
uint64_t GgufFile::data_offset() const { return c_->data_offset; }
const std::string& GgufFile::path() const { return c_->path; }

const std::vector<MetadataEntry>& GgufFile::metadata() const {
  return c_->metadata;
}

bool GgufFile::Has(std::string_view key) const {
  return c_->key_index.count(key) != 0;
}

const MetadataValue* GgufFile::Find(std::string_view key) const {
  auto it = c_->key_index.find(key);
  return it == c_->key_index.end() ? nullptr
                                   : &c_->metadata[it->second].value;
}

const std::vector<TensorInfo>& GgufFile::tensors() const {
  return c_->tensors;
}

const TensorInfo* GgufFile::FindTensor(std::string_view name) const {
  auto it = c_->tensor_index.find(name);
  return it == c_->tensor_index.end() ? nullptr : &c_->tensors[it->second];
}

Result<const TensorInfo*> GgufFile::GetTensor(std::string_view name) const {
  const TensorInfo* t = FindTensor(name);
  if (t == nullptr) {
    return NotFound("tensor '" + std::string(name) + "' not found in " +
                    c_->path);
  }
  return t;
}

}  // namespace vigil::gguf
