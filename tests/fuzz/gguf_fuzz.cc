// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the GGUF reader: parse, then touch every metadata
// value through every getter and every tensor's first and last byte.
#include <cstddef>
#include <cstdint>

#include "inference/gguf/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto f = vigil::gguf::GgufFile::FromBuffer({data, size});
  if (!f.ok()) return 0;
  for (const vigil::gguf::MetadataEntry& e : f->metadata()) {
    (void)f->GetString(e.key), (void)f->GetU32(e.key), (void)f->GetI32(e.key);
    (void)f->GetU64(e.key), (void)f->GetF32(e.key), (void)f->GetBool(e.key);
    (void)f->GetI32Array(e.key), (void)f->GetU32Array(e.key);
    (void)f->GetF32Array(e.key), (void)f->GetBoolArray(e.key);
    (void)f->GetStringArray(e.key), (void)f->GetArrayLength(e.key);
    (void)f->GetPerLayerU32(e.key, 4), (void)f->GetPerLayerBool(e.key, 4);
  }
  volatile uint8_t sink = 0;
  for (const vigil::gguf::TensorInfo& t : f->tensors()) {
    VIGIL_CHECK(f->FindTensor(t.name) == &t);
    if (t.n_bytes > 0) sink = sink ^ t.data[0] ^ t.data[t.n_bytes - 1];
  }
  return 0;
}
