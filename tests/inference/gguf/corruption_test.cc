// SPDX-License-Identifier: Apache-2.0
// Corruption table for the GGUF reader (like llama.cpp's test-gguf): each
// kind of damage to a valid file yields a specific StatusCode and a message
// naming the culprit, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"
#include "tests/inference/gguf/sample_gguf.h"

namespace vigil::gguf {
namespace {

using testing::FindBytes;
using testing::LocateTensorInfo;
using testing::MakeSampleGguf;
using testing::Poke;
using Bytes = std::vector<uint8_t>;

constexpr uint64_t kHuge = uint64_t{1} << 60;

// Offset of the u32 value type that follows metadata key `key`.
size_t TypeOf(const Bytes& b, std::string_view key) {
  const size_t at = FindBytes(b, key);
  VIGIL_CHECK(at != SIZE_MAX);
  return at + key.size();
}

struct Case {
  const char* what;
  std::function<void(Bytes&)> damage;
  StatusCode code;
  const char* message;  // substring expected in the error
};

std::vector<Case> Cases() {
  const auto ta = [](const Bytes& b) {
    return LocateTensorInfo(b, testing::kTensorA, 2);
  };
  const auto tb = [](const Bytes& b) {
    return LocateTensorInfo(b, testing::kTensorB, 2);
  };
  return {
      {"bad magic", [](Bytes& b) { Poke<uint32_t>(b, 0, 0x46554746); },
       StatusCode::kCorrupt, "not a GGUF file"},
      {"version 1", [](Bytes& b) { Poke<uint32_t>(b, 4, 1); },
       StatusCode::kUnsupported, "version 1"},
      {"version 4", [](Bytes& b) { Poke<uint32_t>(b, 4, 4); },
       StatusCode::kUnsupported, "expected 2 or 3"},
      {"big-endian", [](Bytes& b) { Poke<uint32_t>(b, 4, 0x03000000); },
       StatusCode::kUnsupported, "big-endian"},
      {"huge tensor count", [](Bytes& b) { Poke<uint64_t>(b, 8, ~0ull); },
       StatusCode::kCorrupt, "tensor count"},
      {"huge kv count", [](Bytes& b) { Poke<uint64_t>(b, 16, kHuge); },
       StatusCode::kCorrupt, "metadata count"},
      {"huge key length", [](Bytes& b) { Poke<uint64_t>(b, 24, kHuge); },
       StatusCode::kCorrupt, "string length"},
      {"huge string value",
       [](Bytes& b) { Poke<uint64_t>(b, FindBytes(b, "gemma4") - 8, kHuge); },
       StatusCode::kCorrupt, "general.architecture"},
      {"bad value type",
       [](Bytes& b) { Poke<uint32_t>(b, TypeOf(b, testing::kSampleCount), 13); },
       StatusCode::kCorrupt, "sample.count"},
      {"bad array element type",
       [](Bytes& b) {
         Poke<uint32_t>(b, TypeOf(b, testing::kSampleList) + 4, 99);
       },
       StatusCode::kCorrupt, "array type 99"},
      {"huge array count",
       [](Bytes& b) {
         Poke<uint64_t>(b, TypeOf(b, testing::kSampleList) + 8, kHuge);
       },
       StatusCode::kCorrupt, "sample.list"},
      {"huge string array count",
       [](Bytes& b) {
         Poke<uint64_t>(b, TypeOf(b, testing::kSampleWords) + 8, kHuge);
       },
       StatusCode::kCorrupt, "sample.words"},
      {"duplicate key",
       [](Bytes& b) {
         const std::string_view dup = testing::kSampleCount;
         std::copy(dup.begin(), dup.end(),
                   b.begin() + FindBytes(b, testing::kSampleWords));
       },
       StatusCode::kCorrupt, "duplicate metadata key 'sample.count'"},
      {"huge tensor name",
       [](Bytes& b) {
         Poke<uint64_t>(b, FindBytes(b, testing::kTensorA) - 8, kHuge);
       },
       StatusCode::kCorrupt, "tensor name"},
      {"unknown tensor type",
       [ta](Bytes& b) { Poke<uint32_t>(b, ta(b).type, 77); },
       StatusCode::kUnsupported, "'tensor_a.weight' has unknown ggml type id 77"},
      {"n_dims 5", [ta](Bytes& b) { Poke<uint32_t>(b, ta(b).n_dims, 5); },
       StatusCode::kCorrupt, "n_dims 5"},
      {"n_dims 0", [ta](Bytes& b) { Poke<uint32_t>(b, ta(b).n_dims, 0); },
       StatusCode::kCorrupt, "n_dims 0"},
      {"ne not a block multiple",
       [tb](Bytes& b) { Poke<uint64_t>(b, tb(b).ne0, 33); },
       StatusCode::kCorrupt, "not a multiple of the Q8_0 block size"},
      {"ne overflow",
       [ta](Bytes& b) {
         Poke<uint64_t>(b, ta(b).ne0, uint64_t{1} << 40);
         Poke<uint64_t>(b, ta(b).ne0 + 8, uint64_t{1} << 40);
       },
       StatusCode::kCorrupt, "overflows"},
      {"negative ne",
       [ta](Bytes& b) { Poke<uint64_t>(b, ta(b).ne0 + 8, ~0ull); },
       StatusCode::kCorrupt, "above INT64_MAX"},
      {"byte size overflow",
       [ta](Bytes& b) {
         Poke<uint64_t>(b, ta(b).ne0, uint64_t{1} << 62);
       },
       StatusCode::kCorrupt, "overflows"},
      {"shape past end",
       [ta](Bytes& b) { Poke<uint64_t>(b, ta(b).ne0 + 8, 1 << 20); },
       StatusCode::kCorrupt, "past end of file"},
      {"misaligned offset",
       [tb](Bytes& b) { Poke<uint64_t>(b, tb(b).offset, 65); },
       StatusCode::kCorrupt, "not a multiple of the alignment 32"},
      {"offset past end",
       [tb](Bytes& b) { Poke<uint64_t>(b, tb(b).offset, 4096); },
       StatusCode::kCorrupt, "'tensor_b.weight' offset 4096"},
      {"offset near 2^64",
       [tb](Bytes& b) { Poke<uint64_t>(b, tb(b).offset, ~0ull - 31); },
       StatusCode::kCorrupt, "past end of file"},
      {"overlapping tensors",
       [tb](Bytes& b) { Poke<uint64_t>(b, tb(b).offset, 32); },
       StatusCode::kCorrupt, "overlap"},
      {"duplicate tensor name",
       [](Bytes& b) {
         const std::string_view dup = testing::kTensorA;
         std::copy(dup.begin(), dup.end(),
                   b.begin() + FindBytes(b, testing::kTensorB));
       },
       StatusCode::kCorrupt, "duplicate tensor name 'tensor_a.weight'"},
  };
}

TEST(GgufCorruption, EachKindHasItsStatus) {
  const Bytes good = MakeSampleGguf();
  ASSERT_TRUE(GgufFile::FromBuffer(good).ok());
  for (const Case& c : Cases()) {
    Bytes bad = good;
    c.damage(bad);
    auto f = GgufFile::FromBuffer(bad);
    ASSERT_FALSE(f.ok()) << c.what;
    EXPECT_EQ(f.status().code(), c.code)
        << c.what << ": " << f.status().ToString();
    EXPECT_NE(f.status().message().find(c.message), std::string::npos)
        << c.what << ": " << f.status().ToString();
  }
}

TEST(GgufCorruption, EveryTruncationIsCorrupt) {
  const Bytes good = MakeSampleGguf();
  auto f = GgufFile::FromBuffer(good);
  ASSERT_TRUE(f.ok());
  // Past the last tensor's bytes only trailing padding remains.
  const TensorInfo& last = f->tensors().back();
  const size_t end = f->data_offset() + last.offset + last.n_bytes;
  for (size_t n = 0; n < end; ++n) {
    auto t = GgufFile::FromBuffer({good.data(), n});
    ASSERT_FALSE(t.ok()) << "prefix " << n;
    EXPECT_EQ(t.status().code(), StatusCode::kCorrupt)
        << "prefix " << n << ": " << t.status().ToString();
  }
  EXPECT_TRUE(GgufFile::FromBuffer({good.data(), end}).ok());
}

TEST(GgufCorruption, TruncatedFileOnDiskNamesThePath) {
  const Bytes good = MakeSampleGguf();
  const std::string path = std::string(VIGIL_BINARY_DIR) +
                           "/gguf_truncated_" + std::to_string(::getpid()) +
                           ".gguf";
  std::FILE* fp = std::fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr);
  std::fwrite(good.data(), 1, good.size() - 40, fp);
  std::fclose(fp);
  const Status s = GgufFile::Open(path).status();
  std::filesystem::remove(path);
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("tensor_b.weight"), std::string::npos)
      << s.message();
}

Bytes AlignedFile() {
  GgufWriter w(64);
  const uint64_t ne[] = {16};
  std::vector<float> v(16, 1.0f);
  VIGIL_CHECK(w.AddTensorF32("t", ne, v).ok());
  return std::move(w.WriteToBuffer()).value();
}

TEST(GgufCorruption, BadAlignment) {
  const Bytes good = AlignedFile();
  ASSERT_EQ(GgufFile::FromBuffer(good)->alignment(), 64u);
  const size_t type_at = TypeOf(good, key::kAlignment);
  for (uint32_t a : {0u, 48u, 3u}) {
    Bytes bad = good;
    Poke<uint32_t>(bad, type_at + 4, a);
    const Status s = GgufFile::FromBuffer(bad).status();
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << a;
    EXPECT_NE(s.message().find("power of two"), std::string::npos) << a;
  }
  Bytes wrong_type = good;
  Poke<uint32_t>(wrong_type, type_at, static_cast<uint32_t>(ValueType::kI32));
  const Status s = GgufFile::FromBuffer(wrong_type).status();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("expected u32"), std::string::npos);
}

TEST(GgufCorruption, DeeplyNestedArrays) {
  // 64 levels of array<array<...>> each holding one element.
  std::vector<uint8_t> payload;
  for (int i = 0; i < 64; ++i) {
    auto h = EncodeArrayHeader(ValueType::kArray, 1);
    payload.insert(payload.end(), h.begin(), h.end());
  }
  auto leaf = EncodeArrayHeader(ValueType::kU8, 0);
  payload.insert(payload.end(), leaf.begin(), leaf.end());
  GgufWriter w;
  w.AddRaw("deep", ValueType::kArray, payload);
  const Bytes bytes = std::move(w.WriteToBuffer()).value();
  const Status s = GgufFile::FromBuffer(bytes).status();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("nested deeper"), std::string::npos);
}

TEST(GgufCorruption, EmptyAndTinyBuffers) {
  EXPECT_EQ(GgufFile::FromBuffer({}).status().code(), StatusCode::kCorrupt);
  const uint8_t magic_only[] = {'G', 'G', 'U', 'F'};
  const Status s = GgufFile::FromBuffer(magic_only).status();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("truncated at offset 4 reading version"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace vigil::gguf
