// SPDX-License-Identifier: Apache-2.0
#include "tests/inference/text/model_edit.h"

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace vigil::text::testing {
namespace {

// Re-encodes a stored value as the writer's raw payload (everything after
// the value type): strings get their u64 length back, arrays their header.
std::vector<uint8_t> Payload(const gguf::MetadataValue& v) {
  std::vector<uint8_t> out;
  if (v.type == gguf::ValueType::kString) {
    uint64_t n = v.raw.size();
    out.resize(sizeof(n));
    std::memcpy(out.data(), &n, sizeof(n));
  } else if (v.is_array()) {
    out = gguf::EncodeArrayHeader(v.elem_type, v.count);
  }
  out.insert(out.end(), v.raw.begin(), v.raw.end());
  return out;
}

}  // namespace

Result<std::string> WriteEditedCopy(const std::string& src_path,
                                    const ModelEdit& edit,
                                    const std::string& out_name) {
  VIGIL_ASSIGN_OR_RETURN(gguf::GgufFile src, gguf::GgufFile::Open(src_path));
  gguf::GgufWriter w(src.alignment());
  for (const gguf::MetadataEntry& e : src.metadata()) {
    if (e.key == "general.alignment") continue;  // the writer adds it
    if (edit.drop_key && edit.drop_key(e.key)) continue;
    w.AddRaw(e.key, e.value.type, Payload(e.value));
  }
  for (const gguf::TensorInfo& t : src.tensors()) {
    if (edit.drop_tensor && edit.drop_tensor(t.name)) continue;
    std::vector<uint64_t> ne(t.ne, t.ne + t.n_dims);
    VIGIL_RETURN_IF_ERROR(
        w.AddTensor(t.name, t.type, ne, std::span(t.data, t.n_bytes)));
  }
  if (edit.add) edit.add(src, w);
  const std::string path = ::testing::TempDir() + "/" + out_name;
  VIGIL_RETURN_IF_ERROR(w.WriteFile(path));
  return path;
}

}  // namespace vigil::text::testing
