// SPDX-License-Identifier: Apache-2.0
// Writes the GGUF fuzz seed corpus (tiny valid files made by GgufWriter plus
// a few corrupt variants, each < 4 KB). Usage: gguf_fuzz_seeds OUT_DIR
#include <cstdio>
#include <string>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/writer.h"
#include "tests/inference/gguf/sample_gguf.h"

namespace vigil::gguf {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes AllValueTypes() {
  GgufWriter w(64);
  w.AddU8("u8", 1), w.AddI8("i8", -1), w.AddU16("u16", 2), w.AddI16("i16", -2);
  w.AddU32("u32", 3), w.AddI32("i32", -3), w.AddU64("u64", 4);
  w.AddI64("i64", -4), w.AddF32("f32", 0.5f), w.AddF64("f64", 0.25);
  w.AddBool("bool", true), w.AddString("str", "▁hello");
  const int32_t ints[] = {1, 2, 3};
  const float floats[] = {1.0f, -2.0f};
  const std::string_view words[] = {"a", "bc", ""};
  w.AddI32Array("ints", ints), w.AddF32Array("floats", floats);
  w.AddBoolArray("bools", {true, false}), w.AddStringArray("words", words);
  Bytes nested = EncodeArrayHeader(ValueType::kArray, 1);
  Bytes inner = EncodeArrayHeader(ValueType::kU16, 2);
  nested.insert(nested.end(), inner.begin(), inner.end());
  nested.insert(nested.end(), {7, 0, 8, 0});
  w.AddRaw("nested", ValueType::kArray, nested);
  const GgmlType types[] = {GgmlType::kF16, GgmlType::kQ8_0, GgmlType::kQ4_K,
                            GgmlType::kQ6_K, GgmlType::kBF16};
  int i = 0;
  for (GgmlType t : types) {
    const uint64_t ne[] = {256, 1};
    Bytes data(RowBytes(t, 256), uint8_t(0x30 + i));
    std::string name = "t";
    name += std::to_string(i++);
    VIGIL_CHECK(w.AddTensor(name, t, ne, data).ok());
  }
  return std::move(w.WriteToBuffer()).value();
}

Bytes MiniGemma4() {
  GgufWriter w;
  w.AddString(key::kArchitecture, key::kArchGemma4);
  w.AddU32(key::kBlockCount, 2);
  w.AddU32(key::kEmbeddingLength, 32);
  const int32_t ff[] = {64, 128};
  w.AddI32Array(key::kFeedForwardLength, ff);
  w.AddBoolArray(key::kSlidingWindowPattern, {true, false});
  w.AddF32(key::kRmsEps, 1e-6f);
  const std::string_view tokens[] = {"<pad>", "<eos>", "<bos>", "▁a", "b"};
  w.AddStringArray(key::kTokenizerTokens, tokens);
  const std::string_view merges[] = {"▁ a"};
  w.AddStringArray(key::kTokenizerMerges, merges);
  std::vector<float> embd(32 * 5, 0.125f);
  const uint64_t ne[] = {32, 5};
  VIGIL_CHECK(w.AddTensorF32(tensor::kTokenEmbd, ne, embd).ok());
  std::vector<float> norm(32, 1.0f);
  const uint64_t ne_norm[] = {32};
  VIGIL_CHECK(w.AddTensorF32(BlockTensor(0, tensor::kAttnNorm), ne_norm, norm)
                  .ok());
  return std::move(w.WriteToBuffer()).value();
}

Bytes MiniClip() {
  GgufWriter w;
  w.AddString(key::kArchitecture, key::kArchClip);
  w.AddString(key::kType, key::kTypeMmproj);
  w.AddBool(key::kClipHasVision, true);
  w.AddString(key::kVisionProjectorType, key::kProjectorGemma4v);
  const float mean[] = {0, 0, 0};
  w.AddF32Array(key::kVisionImageMean, mean);
  const uint64_t ne[] = {4, 4, 3, 2};
  std::vector<float> patch(4 * 4 * 3 * 2, 0.5f);
  VIGIL_CHECK(w.AddTensorF32(tensor::kVPatchEmbd, ne, patch).ok());
  const uint64_t ne1[] = {1};
  const float v[] = {2.5f};
  VIGIL_CHECK(w.AddTensorF32(ClampTensor(VisionBlockTensor(0, tensor::kVAttnQ),
                                         tensor::kInputMax),
                             ne1, v)
                  .ok());
  return std::move(w.WriteToBuffer()).value();
}

bool Save(const std::string& dir, const std::string& name, const Bytes& b) {
  VIGIL_CHECK(b.size() < 4096);
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(b.data(), 1, b.size(), f) == b.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace
}  // namespace vigil::gguf

int main(int argc, char** argv) {
  using namespace vigil::gguf;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const Bytes sample = testing::MakeSampleGguf();
  Bytes truncated(sample.begin(), sample.begin() + sample.size() / 2);
  Bytes bad_version = sample;
  testing::Poke<uint32_t>(bad_version, 4, 1);
  Bytes overlap = sample;
  testing::Poke<uint64_t>(
      overlap, testing::LocateTensorInfo(overlap, testing::kTensorB, 2).offset,
      32);
  bool ok = Save(dir, "valid_sample.gguf", sample) &&
            Save(dir, "valid_all_types.gguf", AllValueTypes()) &&
            Save(dir, "valid_mini_gemma4.gguf", MiniGemma4()) &&
            Save(dir, "valid_mini_clip.gguf", MiniClip()) &&
            Save(dir, "corrupt_truncated.gguf", truncated) &&
            Save(dir, "corrupt_version1.gguf", bad_version) &&
            Save(dir, "corrupt_overlap.gguf", overlap);
  return ok ? 0 : 1;
}
