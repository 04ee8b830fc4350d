// SPDX-License-Identifier: Apache-2.0
// GGUF container parser (spec/gemma4-text.md §1.1). Never trusts a size:
// every count, length, dimension and offset is checked against the bytes
// that remain, with overflow-safe arithmetic, before it is used.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "inference/gguf/byte_cursor.h"
#include "inference/gguf/contents.h"
#include "inference/gguf/names.h"

namespace vigil::gguf {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" little-endian
constexpr uint64_t kMaxSigned = std::numeric_limits<int64_t>::max();
// Smallest encodings, used to cap counts before allocating for them.
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;              // key len, type, u8
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;  // 1 dim

std::string Quote(std::string_view s) {
  // Names come from the file: keep messages short and printable.
  std::string out = "'";
  for (char ch : s.substr(0, 96)) {
    out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  }
  if (s.size() > 96) out += "...";
  return out + "'";
}

Status ParseHeader(ByteCursor& cur, uint32_t* version, uint64_t* n_tensors,
                   uint64_t* n_kv) {
  uint32_t magic = 0;
  VIGIL_RETURN_IF_ERROR(cur.Read(&magic, "magic"));
  if (magic != kMagic) {
    return Corrupt("not a GGUF file: magic bytes do not read 'GGUF'");
  }
  VIGIL_RETURN_IF_ERROR(cur.Read(version, "version"));
  if (*version != 2 && *version != 3) {
    std::string hint;
    if (*version == 1) hint = " (v1 uses 32-bit counts; re-convert the model)";
    if (*version == 0x03000000 || *version == 0x02000000) {
      hint = " (big-endian GGUF)";
    }
    return Unsupported("GGUF version " + std::to_string(*version) +
                       " is not supported, expected 2 or 3" + hint);
  }
  VIGIL_RETURN_IF_ERROR(cur.Read(n_tensors, "tensor count"));
  VIGIL_RETURN_IF_ERROR(cur.Read(n_kv, "metadata count"));
  if (*n_kv > cur.remaining() / kMinKvBytes) {
    return Corrupt("metadata count " + std::to_string(*n_kv) +
                   " cannot fit in the " + std::to_string(cur.remaining()) +
                   " bytes left");
  }
  if (*n_tensors > cur.remaining() / kMinTensorInfoBytes) {
    return Corrupt("tensor count " + std::to_string(*n_tensors) +
                   " cannot fit in the " + std::to_string(cur.remaining()) +
                   " bytes left");
  }
  return OkStatus();
}

Status ReadValueType(ByteCursor& cur, ValueType* out, std::string_view what) {
  uint32_t id = 0;
  const uint64_t at = cur.pos();
  VIGIL_RETURN_IF_ERROR(cur.Read(&id, what));
  if (!ValueTypeValid(id)) {
    return Corrupt("bad " + std::string(what) + " " + std::to_string(id) +
                   " at offset " + std::to_string(at) + ", expected 0..12");
  }
  *out = static_cast<ValueType>(id);
  return OkStatus();
}

Status ParseValue(ByteCursor& cur, ValueType type, int depth,
                  MetadataValue* out);

// Parses the elements of an array whose header was already read.
Status ParseArrayElements(ByteCursor& cur, ValueType elem, uint64_t count,
                          int depth) {
  const uint32_t size = ScalarSize(elem);
  if (size != 0) {
    if (count > cur.remaining() / size) {
      return Corrupt("array of " + std::to_string(count) + " " +
                     ValueTypeName(elem) + " needs more than the " +
                     std::to_string(cur.remaining()) + " bytes left");
    }
    std::span<const uint8_t> skipped;
    return cur.Take(count * size, &skipped, "array elements");
  }
  const uint64_t min_elem = elem == ValueType::kString ? 8 : 12;
  if (count > cur.remaining() / min_elem) {
    return Corrupt("array of " + std::to_string(count) + " " +
                   ValueTypeName(elem) + " cannot fit in the " +
                   std::to_string(cur.remaining()) + " bytes left");
  }
  for (uint64_t i = 0; i < count; ++i) {
    if (elem == ValueType::kString) {
      std::string_view s;
      VIGIL_RETURN_IF_ERROR(cur.ReadString(&s, "array string"));
    } else {
      MetadataValue nested;
      VIGIL_RETURN_IF_ERROR(ParseValue(cur, elem, depth + 1, &nested));
    }
  }
  return OkStatus();
}

Status ParseValue(ByteCursor& cur, ValueType type, int depth,
                  MetadataValue* out) {
  out->type = type;
  if (type == ValueType::kString) {
    std::string_view s;
    VIGIL_RETURN_IF_ERROR(cur.ReadString(&s, "string value"));
    out->raw = {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
    return OkStatus();
  }
  if (type != ValueType::kArray) {
    return cur.Take(ScalarSize(type), &out->raw, ValueTypeName(type));
  }
  if (depth >= kMaxArrayDepth) {
    return Corrupt("arrays nested deeper than " +
                   std::to_string(kMaxArrayDepth));
  }
  VIGIL_RETURN_IF_ERROR(ReadValueType(cur, &out->elem_type, "array type"));
  VIGIL_RETURN_IF_ERROR(cur.Read(&out->count, "array length"));
  const uint64_t start = cur.pos();
  const uint8_t* start_ptr = cur.here();
  VIGIL_RETURN_IF_ERROR(
      ParseArrayElements(cur, out->elem_type, out->count, depth));
  out->raw = {start_ptr, static_cast<size_t>(cur.pos() - start)};
  return OkStatus();
}

Status ParseMetadata(ByteCursor& cur, uint64_t n_kv, GgufContents* c) {
  c->metadata.reserve(n_kv);
  for (uint64_t i = 0; i < n_kv; ++i) {
    MetadataEntry e;
    VIGIL_RETURN_IF_ERROR(cur.ReadString(&e.key, "metadata key"));
    const std::string ctx = "metadata key " + Quote(e.key);
    ValueType type;
    Status s = ReadValueType(cur, &type, "value type");
    if (s.ok()) s = ParseValue(cur, type, 0, &e.value);
    if (!s.ok()) return s.WithContext(ctx);
    if (!c->key_index.emplace(e.key, c->metadata.size()).second) {
      return Corrupt("duplicate " + ctx);
    }
    c->metadata.push_back(e);
  }
  return OkStatus();
}

Status ReadAlignment(GgufContents* c) {
  auto it = c->key_index.find(key::kAlignment);
  if (it == c->key_index.end()) return OkStatus();
  const MetadataValue& v = c->metadata[it->second].value;
  if (v.type != ValueType::kU32) {
    return Corrupt(std::string(key::kAlignment) + " has type " +
                   ValueTypeName(v.type) + ", expected u32");
  }
  uint32_t a = 0;
  std::memcpy(&a, v.raw.data(), 4);
  if (a == 0 || (a & (a - 1)) != 0) {
    return Corrupt(std::string(key::kAlignment) + " is " + std::to_string(a) +
                   ", expected a power of two");
  }
  c->alignment = a;
  return OkStatus();
}

// Computes `t->n_bytes` from type and shape, or returns an error.
Status SizeTensor(uint32_t type_id, TensorInfo* t, const std::string& ctx) {
  const TypeTraits traits = GetTypeTraits(type_id);
  if (traits.name == nullptr) {
    return Unsupported(ctx + " has unknown ggml type id " +
                       std::to_string(type_id));
  }
  t->type = static_cast<GgmlType>(type_id);
  if (t->ne[0] % traits.block_elems != 0) {
    return Corrupt(ctx + " has ne[0]=" + std::to_string(t->ne[0]) +
                   ", not a multiple of the " + traits.name + " block size " +
                   std::to_string(traits.block_elems));
  }
  const uint64_t blocks = t->ne[0] / traits.block_elems;
  const uint64_t rows = t->n_rows();  // product checked by caller
  const uint64_t row_bytes = blocks * traits.block_bytes;  // ≤ 2^63 * 9.2
  if ((blocks != 0 && row_bytes / blocks != traits.block_bytes) ||
      (rows != 0 && row_bytes > kMaxSigned / rows)) {
    return Corrupt(ctx + " byte size overflows");
  }
  t->n_bytes = row_bytes * rows;
  return OkStatus();
}

Status ParseTensorInfo(ByteCursor& cur, uint32_t alignment, TensorInfo* t) {
  VIGIL_RETURN_IF_ERROR(cur.ReadString(&t->name, "tensor name"));
  const std::string ctx = "tensor " + Quote(t->name);
  Status s = cur.Read(&t->n_dims, "n_dims");
  if (!s.ok()) return s.WithContext(ctx);
  if (t->n_dims == 0 || t->n_dims > kMaxDims) {
    return Corrupt(ctx + " has n_dims " + std::to_string(t->n_dims) +
                   ", expected 1.." + std::to_string(kMaxDims));
  }
  uint64_t product = 1;
  for (uint32_t d = 0; d < t->n_dims; ++d) {
    s = cur.Read(&t->ne[d], "ne");
    if (!s.ok()) return s.WithContext(ctx);
    if (t->ne[d] > kMaxSigned) {
      return Corrupt(ctx + " has ne[" + std::to_string(d) + "]=" +
                     std::to_string(t->ne[d]) + ", above INT64_MAX");
    }
    if (t->ne[d] != 0 && product > kMaxSigned / t->ne[d]) {
      return Corrupt(ctx + " element count overflows (shape " +
                     t->ShapeString() + ")");
    }
    product *= t->ne[d];
  }
  uint32_t type_id = 0;
  s = cur.Read(&type_id, "type");
  if (s.ok()) s = cur.Read(&t->offset, "offset");
  if (!s.ok()) return s.WithContext(ctx);
  VIGIL_RETURN_IF_ERROR(SizeTensor(type_id, t, ctx));
  if (t->offset % alignment != 0) {
    return Corrupt(ctx + " offset " + std::to_string(t->offset) +
                   " is not a multiple of the alignment " +
                   std::to_string(alignment));
  }
  return OkStatus();
}

Status ParseTensorInfos(ByteCursor& cur, uint64_t n_tensors,
                        GgufContents* c) {
  c->tensors.reserve(n_tensors);
  for (uint64_t i = 0; i < n_tensors; ++i) {
    TensorInfo t;
    VIGIL_RETURN_IF_ERROR(ParseTensorInfo(cur, c->alignment, &t));
    if (!c->tensor_index.emplace(t.name, c->tensors.size()).second) {
      return Corrupt("duplicate tensor name " + Quote(t.name));
    }
    c->tensors.push_back(t);
  }
  return OkStatus();
}

// Places the data section after the (padded) header and checks that every
// tensor lies inside the file and no two tensors overlap.
Status LayoutData(uint64_t header_end, GgufContents* c) {
  const uint64_t file_size = c->bytes.size();
  const uint64_t pad = (c->alignment - header_end % c->alignment) %
                       c->alignment;
  c->data_offset = header_end + pad;
  if (c->tensors.empty()) return OkStatus();
  if (c->data_offset > file_size) {
    return Corrupt("data section starts at " + std::to_string(c->data_offset) +
                   ", past end of file (" + std::to_string(file_size) +
                   " bytes)");
  }
  const uint64_t data_size = file_size - c->data_offset;
  for (TensorInfo& t : c->tensors) {
    if (t.offset > data_size || t.n_bytes > data_size - t.offset) {
      return Corrupt("tensor " + Quote(t.name) + " offset " +
                     std::to_string(t.offset) + " + " +
                     std::to_string(t.n_bytes) + " bytes past end of file (" +
                     std::to_string(file_size) + " bytes, data section at " +
                     std::to_string(c->data_offset) + ")");
    }
    t.data = c->bytes.data() + c->data_offset + t.offset;
  }
  std::vector<const TensorInfo*> order;
  order.reserve(c->tensors.size());
  for (const TensorInfo& t : c->tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(),
            [](const TensorInfo* a, const TensorInfo* b) {
              return a->offset < b->offset;
            });
  for (size_t i = 1; i < order.size(); ++i) {
    const TensorInfo& prev = *order[i - 1];
    if (prev.offset + prev.n_bytes > order[i]->offset) {
      return Corrupt("tensors " + Quote(prev.name) + " (offset " +
                     std::to_string(prev.offset) + ", " +
                     std::to_string(prev.n_bytes) + " bytes) and " +
                     Quote(order[i]->name) + " (offset " +
                     std::to_string(order[i]->offset) + ") overlap");
    }
  }
  return OkStatus();
}

}  // namespace

Status ParseGguf(GgufContents* c) {
  ByteCursor cur(c->bytes);
  uint64_t n_tensors = 0;
  uint64_t n_kv = 0;
  VIGIL_RETURN_IF_ERROR(ParseHeader(cur, &c->version, &n_tensors, &n_kv));
  VIGIL_RETURN_IF_ERROR(ParseMetadata(cur, n_kv, c));
  VIGIL_RETURN_IF_ERROR(ReadAlignment(c));
  VIGIL_RETURN_IF_ERROR(ParseTensorInfos(cur, n_tensors, c));
  return LayoutData(cur.pos(), c);
}

}  // namespace vigil::gguf
