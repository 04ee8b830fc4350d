// SPDX-License-Identifier: Apache-2.0
// gguf_dump: prints a GGUF file's header, metadata and tensor table, like
// llama.cpp's gguf-dump. Arrays longer than 8 show their first 8 entries.
// Usage: gguf_dump FILE.gguf [--no-tensors]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "inference/gguf/reader.h"

namespace vigil::gguf {
namespace {

constexpr uint64_t kShown = 8;

// Returns `s` cut to about `max` bytes at a UTF-8 boundary, newlines as
// spaces, so long templates and merges fit one line.
std::string Printable(std::string_view s, size_t max = 60) {
  size_t n = std::min(s.size(), max);
  while (n < s.size() && n > 0 && (uint8_t(s[n]) & 0xC0) == 0x80) --n;
  std::string out;
  for (char c : s.substr(0, n)) out += c == '\n' ? ' ' : c;
  if (n < s.size()) out += "...";
  return out;
}

std::string Quoted(std::string_view s, size_t max) {
  std::string out = "\"";
  out += Printable(s, max);
  out += '"';
  return out;
}

std::string ScalarText(const GgufFile& f, std::string_view key,
                       const MetadataValue& v) {
  if (v.type == ValueType::kString) {
    return Quoted(v.as_string(), 60);
  }
  if (v.type == ValueType::kBool) return v.raw[0] ? "true" : "false";
  if (v.type == ValueType::kF32 || v.type == ValueType::kF64) {
    return std::to_string(*f.GetF32(key));
  }
  auto u = f.GetU64(key);
  if (u.ok()) return std::to_string(*u);
  auto i = f.GetI32(key);
  return i.ok() ? std::to_string(*i) : "?";
}

std::string ArrayText(const GgufFile& f, std::string_view key,
                      const MetadataValue& v) {
  std::string out = std::string(ValueTypeName(v.elem_type)) + "[" +
                    std::to_string(v.count) + "] [";
  const uint64_t n = std::min(v.count, kShown);
  auto append = [&](uint64_t i, const std::string& s) {
    if (i > 0) out += ", ";
    out += s;
  };
  if (v.elem_type == ValueType::kString) {
    auto a = f.GetStringArray(key);
    for (uint64_t i = 0; a.ok() && i < n; ++i) {
      append(i, Quoted((*a)[i], 24));
    }
  } else if (v.elem_type == ValueType::kBool) {
    auto a = f.GetBoolArray(key);
    for (uint64_t i = 0; a.ok() && i < n; ++i) append(i, (*a)[i] ? "T" : "F");
  } else if (v.elem_type == ValueType::kF32 || v.elem_type == ValueType::kF64) {
    auto a = f.GetF32Array(key);
    for (uint64_t i = 0; a.ok() && i < n; ++i) {
      append(i, std::to_string((*a)[i]));
    }
  } else if (auto a = f.GetI32Array(key); a.ok()) {
    for (uint64_t i = 0; i < n; ++i) append(i, std::to_string((*a)[i]));
  } else {
    out += "...";
  }
  return out + (v.count > kShown ? ", ...]" : "]");
}

int Dump(const std::string& path, bool tensors) {
  auto f = GgufFile::Open(path);
  if (!f.ok()) {
    std::fprintf(stderr, "gguf_dump: %s\n", f.status().ToString().c_str());
    return 1;
  }
  std::printf("GGUF v%u, %llu bytes, alignment %u, data at %llu\n",
              f->version(), (unsigned long long)f->file_size(),
              f->alignment(), (unsigned long long)f->data_offset());
  std::printf("%zu metadata keys:\n", f->metadata().size());
  for (const MetadataEntry& e : f->metadata()) {
    const std::string text = e.value.is_array()
                                 ? ArrayText(*f, e.key, e.value)
                                 : ScalarText(*f, e.key, e.value);
    std::printf("  %-48s %s\n", Printable(e.key).c_str(), text.c_str());
  }
  std::map<std::string, int> by_type;
  uint64_t total = 0;
  for (const TensorInfo& t : f->tensors()) {
    const char* type = GetTypeTraits(static_cast<uint32_t>(t.type)).name;
    ++by_type[type];
    total += t.n_bytes;
    if (tensors) {
      std::printf("  %-48s %-6s %-24s %12llu bytes @ %llu\n",
                  Printable(t.name).c_str(), type, t.ShapeString().c_str(),
                  (unsigned long long)t.n_bytes,
                  (unsigned long long)t.offset);
    }
  }
  std::printf("%zu tensors, %.2f MiB:", f->tensors().size(),
              total / 1048576.0);
  for (const auto& [type, n] : by_type) std::printf(" %s=%d", type.c_str(), n);
  std::printf("\n");
  return 0;
}

}  // namespace
}  // namespace vigil::gguf

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 ||
      (argc == 3 && std::strcmp(argv[2], "--no-tensors") != 0)) {
    std::fprintf(stderr, "usage: %s FILE.gguf [--no-tensors]\n", argv[0]);
    return 2;
  }
  return vigil::gguf::Dump(argv[1], argc == 2);
}
