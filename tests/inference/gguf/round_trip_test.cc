// SPDX-License-Identifier: Apache-2.0
// GgufWriter -> GgufFile round trips: every value type, arrays (nested and
// string), tensor types and shapes, alignment, streamed data, atomic files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"
#include "tests/inference/gguf/sample_gguf.h"

namespace vigil::gguf {
namespace {

GgufFile Parse(const GgufWriter& w) {
  auto bytes = w.WriteToBuffer();
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto f = GgufFile::FromBuffer(*bytes);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(f).value();
}

TEST(GgufRoundTrip, EveryScalarType) {
  GgufWriter w;
  w.AddU8("u8", 250);
  w.AddI8("i8", -100);
  w.AddU16("u16", 65000);
  w.AddI16("i16", -30000);
  w.AddU32("u32", 4000000000u);
  w.AddI32("i32", -2000000000);
  w.AddU64("u64", uint64_t{1} << 40);
  w.AddI64("i64", -(int64_t{1} << 40));
  w.AddF32("f32", 1e-6f);
  w.AddF64("f64", 0.25);
  w.AddBool("yes", true);
  w.AddBool("no", false);
  w.AddString("s", "héllo ▁world");
  w.AddString("empty", "");
  GgufFile f = Parse(w);
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.metadata().size(), 14u);
  EXPECT_EQ(*f.GetU32("u8"), 250u);
  EXPECT_EQ(*f.GetI32("i8"), -100);
  EXPECT_EQ(*f.GetU32("u16"), 65000u);
  EXPECT_EQ(*f.GetI32("i16"), -30000);
  EXPECT_EQ(*f.GetU32("u32"), 4000000000u);
  EXPECT_EQ(*f.GetI32("i32"), -2000000000);
  EXPECT_EQ(*f.GetU64("u64"), uint64_t{1} << 40);
  EXPECT_EQ(f.Find("i64")->type, ValueType::kI64);
  EXPECT_EQ(*f.GetF32("f32"), 1e-6f);
  EXPECT_EQ(*f.GetF32("f64"), 0.25f);
  EXPECT_TRUE(*f.GetBool("yes"));
  EXPECT_FALSE(*f.GetBool("no"));
  EXPECT_EQ(*f.GetString("s"), "héllo ▁world");
  EXPECT_EQ(*f.GetString("empty"), "");
  EXPECT_EQ(f.metadata()[0].key, "u8");  // file order kept
}

TEST(GgufRoundTrip, IntegerGettersCheckRange) {
  GgufWriter w;
  w.AddI32("neg", -1);
  w.AddU64("big", uint64_t{1} << 33);
  w.AddI64("fits", 12);
  w.AddString("str", "x");
  GgufFile f = Parse(w);
  EXPECT_EQ(f.GetU32("neg").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(f.GetU32("big").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(f.GetI32("big").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(*f.GetU32("fits"), 12u);
  EXPECT_EQ(f.GetU64("neg").status().code(), StatusCode::kCorrupt);
  const Status wrong = f.GetU32("str").status();
  EXPECT_EQ(wrong.code(), StatusCode::kCorrupt);
  EXPECT_NE(wrong.message().find("'str' has type string, expected u32"),
            std::string::npos)
      << wrong.message();
  const Status missing = f.GetF32("nope").status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("'nope'"), std::string::npos);
  EXPECT_EQ(*f.GetU32Or("nope", 9), 9u);
  EXPECT_EQ(*f.GetF32Or("nope", 2.5f), 2.5f);
  EXPECT_TRUE(*f.GetBoolOr("nope", true));
  EXPECT_EQ(*f.GetStringOr("nope", "d"), "d");
  EXPECT_EQ(f.GetU32Or("str", 1).status().code(), StatusCode::kCorrupt);
  EXPECT_FALSE(f.Has("nope"));
  EXPECT_TRUE(f.Has("str"));
}

TEST(GgufRoundTrip, Arrays) {
  GgufWriter w;
  const uint8_t u8s[] = {1, 2, 255};
  const int32_t i32s[] = {-5, 0, 7};
  const uint32_t u32s[] = {6144, 12288};
  const int64_t i64s[] = {1, -1};
  const float f32s[] = {0.5f, -1.0f, 1e30f};
  const double f64s[] = {1.5, 2.5};
  const std::string strs[] = {"<pad>", "", "▁the", "a b"};
  w.AddU8Array("u8s", u8s);
  w.AddI32Array("i32s", i32s);
  w.AddU32Array("u32s", u32s);
  w.AddI64Array("i64s", i64s);
  w.AddF32Array("f32s", f32s);
  w.AddF64Array("f64s", f64s);
  w.AddBoolArray("bools", {true, false, true});
  w.AddStringArray("strs", strs);
  w.AddF32Array("none", std::span<const float>());
  GgufFile f = Parse(w);
  EXPECT_EQ(*f.GetU32Array("u8s"), (std::vector<uint32_t>{1, 2, 255}));
  EXPECT_EQ(*f.GetI32Array("i32s"), (std::vector<int32_t>{-5, 0, 7}));
  EXPECT_EQ(*f.GetU32Array("u32s"), (std::vector<uint32_t>{6144, 12288}));
  EXPECT_EQ(*f.GetI32Array("i64s"), (std::vector<int32_t>{1, -1}));
  EXPECT_EQ(f.GetU32Array("i32s").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(*f.GetF32Array("f32s"), (std::vector<float>{0.5f, -1.0f, 1e30f}));
  EXPECT_EQ(*f.GetF32Array("f64s"), (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(*f.GetBoolArray("bools"), (std::vector<bool>{true, false, true}));
  auto s = f.GetStringArray("strs");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<std::string_view>{"<pad>", "", "▁the", "a b"}));
  EXPECT_EQ(*f.GetArrayLength("strs"), 4u);
  EXPECT_TRUE(f.GetF32Array("none")->empty());
  EXPECT_EQ(f.GetStringArray("f32s").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(f.GetBoolArray("i32s").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(f.GetArrayLength("missing").status().code(),
            StatusCode::kNotFound);
}

TEST(GgufRoundTrip, NestedArrayViaRaw) {
  // [[1, 2], [3]] as array<array<i32>>.
  std::vector<uint8_t> payload = EncodeArrayHeader(ValueType::kArray, 2);
  for (std::vector<int32_t> inner : {std::vector<int32_t>{1, 2}, {3}}) {
    auto h = EncodeArrayHeader(ValueType::kI32, inner.size());
    payload.insert(payload.end(), h.begin(), h.end());
    const auto* p = reinterpret_cast<const uint8_t*>(inner.data());
    payload.insert(payload.end(), p, p + inner.size() * 4);
  }
  GgufWriter w;
  w.AddRaw("nested", ValueType::kArray, payload);
  w.AddU32("after", 5);
  GgufFile f = Parse(w);
  const MetadataValue* v = f.Find("nested");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->elem_type, ValueType::kArray);
  EXPECT_EQ(v->count, 2u);
  EXPECT_EQ(v->raw.size(), payload.size() - 12);
  EXPECT_EQ(*f.GetU32("after"), 5u);
  EXPECT_EQ(f.GetI32Array("nested").status().code(), StatusCode::kCorrupt);
}

TEST(GgufRoundTrip, PerLayerKeys) {
  GgufWriter w;
  w.AddU32(key::kHeadCount, 8);
  const int32_t ff[] = {6144, 6144, 12288};
  w.AddI32Array(key::kFeedForwardLength, ff);
  w.AddBoolArray(key::kSlidingWindowPattern, {true, true, false});
  w.AddBool("scalar_bool", true);
  GgufFile f = Parse(w);
  EXPECT_EQ(*f.GetPerLayerU32(key::kHeadCount, 3),
            (std::vector<uint32_t>{8, 8, 8}));
  EXPECT_EQ(*f.GetPerLayerU32(key::kFeedForwardLength, 3),
            (std::vector<uint32_t>{6144, 6144, 12288}));
  const Status bad = f.GetPerLayerU32(key::kFeedForwardLength, 35).status();
  EXPECT_EQ(bad.code(), StatusCode::kCorrupt);
  EXPECT_NE(bad.message().find("has 3 entries, expected 35"),
            std::string::npos)
      << bad.message();
  EXPECT_EQ(*f.GetPerLayerBool(key::kSlidingWindowPattern, 3),
            (std::vector<bool>{true, true, false}));
  EXPECT_EQ(*f.GetPerLayerBool("scalar_bool", 2),
            (std::vector<bool>{true, true}));
  EXPECT_EQ(f.GetPerLayerU32("absent", 2).status().code(),
            StatusCode::kNotFound);
}

TEST(GgufRoundTrip, TensorsOfEveryCommonType) {
  GgufWriter w(64);
  struct Case {
    const char* name;
    GgmlType type;
    std::vector<uint64_t> ne;
  };
  const std::vector<Case> cases = {
      {"f32", GgmlType::kF32, {3}},          {"f16", GgmlType::kF16, {5, 3}},
      {"bf16", GgmlType::kBF16, {2, 2, 2}},  {"q8_0", GgmlType::kQ8_0, {64, 2}},
      {"q4_0", GgmlType::kQ4_0, {32, 1, 3}}, {"q4_k", GgmlType::kQ4_K, {256, 2}},
      {"q6_k", GgmlType::kQ6_K, {512}},      {"q5_k", GgmlType::kQ5_K, {256}},
      {"i32", GgmlType::kI32, {1, 1, 1, 7}},
  };
  std::vector<std::vector<uint8_t>> data;
  for (const Case& c : cases) {
    uint64_t rows = 1;
    for (size_t d = 1; d < c.ne.size(); ++d) rows *= c.ne[d];
    std::vector<uint8_t> bytes(RowBytes(c.type, c.ne[0]) * rows);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i * 7 + 1);
    ASSERT_TRUE(w.AddTensor(c.name, c.type, c.ne, bytes).ok()) << c.name;
    data.push_back(bytes);
  }
  GgufFile f = Parse(w);
  EXPECT_EQ(f.alignment(), 64u);
  EXPECT_EQ(*f.GetU32(key::kAlignment), 64u);
  ASSERT_EQ(f.tensors().size(), cases.size());
  EXPECT_EQ(f.data_offset() % 64, 0u);
  for (size_t i = 0; i < cases.size(); ++i) {
    const TensorInfo* t = f.FindTensor(cases[i].name);
    ASSERT_NE(t, nullptr) << cases[i].name;
    EXPECT_EQ(t, &f.tensors()[i]);
    EXPECT_EQ(t->type, cases[i].type);
    EXPECT_EQ(t->n_dims, cases[i].ne.size());
    for (size_t d = 0; d < 4; ++d) {
      EXPECT_EQ(t->ne[d], d < cases[i].ne.size() ? cases[i].ne[d] : 1u);
    }
    EXPECT_EQ(t->offset % 64, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t->data) % 32, 0u);
    ASSERT_EQ(t->n_bytes, data[i].size());
    EXPECT_EQ(std::memcmp(t->data, data[i].data(), t->n_bytes), 0);
  }
  EXPECT_EQ(f.FindTensor("q8_0")->ShapeString(), "[64, 2]");
  EXPECT_EQ(f.FindTensor("nope"), nullptr);
  EXPECT_EQ(f.GetTensor("nope").status().code(), StatusCode::kNotFound);
}

TEST(GgufRoundTrip, WriterRejectsBadTensorsAndDuplicateKeys) {
  GgufWriter w;
  const uint64_t ne_bad_block[] = {33};
  EXPECT_EQ(w.AddTensor("x", GgmlType::kQ8_0, ne_bad_block, {}).code(),
            StatusCode::kInvalidArgument);
  const uint64_t ne[] = {2};
  const float v[] = {1, 2};
  EXPECT_EQ(w.AddTensorF32("x", ne, std::span<const float>(v, 1)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(w.AddTensorF32("x", ne, v).ok());
  EXPECT_EQ(w.AddTensorF32("x", ne, v).code(), StatusCode::kInvalidArgument);
  const uint64_t ne5[] = {1, 1, 1, 1, 1};
  EXPECT_EQ(w.AddTensor("y", GgmlType::kF32, ne5, {}).code(),
            StatusCode::kInvalidArgument);
  w.AddU32("k", 1);
  w.AddString("k", "again");
  EXPECT_EQ(w.WriteToBuffer().status().code(), StatusCode::kInvalidArgument);
}

TEST(GgufRoundTrip, FullSizeVocabularyArrays) {
  // Real Gemma 4 sizes: 262,144 tokens and ~515k merges, read as views.
  constexpr size_t kTokens = 262144;
  constexpr size_t kMerges = 514906;
  std::vector<std::string> tokens(kTokens);
  for (size_t i = 0; i < kTokens; ++i) {
    tokens[i] = std::string("tok").append(std::to_string(i));
  }
  std::vector<std::string> merges(kMerges);
  for (size_t i = 0; i < kMerges; ++i) {
    merges[i] = std::string("a").append(std::to_string(i)).append(" b");
  }
  std::vector<int32_t> types(kTokens, 1);
  GgufWriter w;
  w.AddStringArray(key::kTokenizerTokens, tokens);
  w.AddStringArray(key::kTokenizerMerges, merges);
  w.AddI32Array(key::kTokenizerTokenType, types);
  GgufFile f = Parse(w);
  auto t = f.GetStringArray(key::kTokenizerTokens);
  auto m = f.GetStringArray(key::kTokenizerMerges);
  ASSERT_TRUE(t.ok() && m.ok());
  ASSERT_EQ(t->size(), kTokens);
  ASSERT_EQ(m->size(), kMerges);
  for (size_t i : {size_t{0}, size_t{1}, kTokens / 2, kTokens - 1}) {
    EXPECT_EQ((*t)[i], tokens[i]);
  }
  EXPECT_EQ(m->back(), merges.back());
  EXPECT_EQ(f.GetI32Array(key::kTokenizerTokenType)->size(), kTokens);
}

class GgufFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(VIGIL_BINARY_DIR) / "gguf_test_tmp" /
           std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(GgufFileTest, StreamedTensorsWrittenAtomicallyAndMapped) {
  GgufWriter w;
  w.AddString(key::kArchitecture, "gemma4");
  // 10 MiB streamed in chunks: byte i of the tensor is (i * 31) & 0xff.
  const uint64_t ne[] = {1024, 2560};
  int calls = 0;
  ASSERT_TRUE(w.AddTensorStreamed("big", GgmlType::kF32, ne,
                                  [&calls](uint64_t off, std::span<uint8_t> c) {
                                    ++calls;
                                    for (size_t i = 0; i < c.size(); ++i) {
                                      c[i] = uint8_t((off + i) * 31);
                                    }
                                    return OkStatus();
                                  })
                  .ok());
  const std::string path = (dir_ / "model.gguf").string();
  ASSERT_TRUE(w.WriteFile(path).ok());
  EXPECT_GE(calls, 3);
  auto f = GgufFile::Open(path);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const TensorInfo* t = f->FindTensor("big");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->n_bytes, 1024u * 2560 * 4);
  for (uint64_t i = 0; i < t->n_bytes; i += 4093) {
    ASSERT_EQ(t->data[i], uint8_t(i * 31)) << i;
  }
  EXPECT_EQ(f->file_size(), std::filesystem::file_size(path));
  EXPECT_EQ(f->path(), path);
  // Moving keeps views valid (the mapping is owned by the moved object).
  GgufFile moved = std::move(f).value();
  EXPECT_EQ(*moved.GetString(key::kArchitecture), "gemma4");
  EXPECT_EQ(moved.FindTensor("big")->data, t->data);
  // Exactly one file: no temp left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(GgufFileTest, FailedWriteLeavesNothing) {
  GgufWriter w;
  const uint64_t ne[] = {64};
  ASSERT_TRUE(w.AddTensorStreamed("t", GgmlType::kF32, ne,
                                  [](uint64_t, std::span<uint8_t>) {
                                    return IoError("source went away");
                                  })
                  .ok());
  const std::string path = (dir_ / "bad.gguf").string();
  const Status s = w.WriteFile(path);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("tensor 't'"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
  EXPECT_EQ(GgufWriter().WriteFile((dir_ / "no/such/dir.gguf").string())
                .code(),
            StatusCode::kIo);
}

TEST_F(GgufFileTest, OpenErrors) {
  EXPECT_EQ(GgufFile::Open((dir_ / "missing.gguf").string()).status().code(),
            StatusCode::kIo);
  EXPECT_EQ(GgufFile::Open(dir_.string()).status().code(), StatusCode::kIo);
  const std::string empty = (dir_ / "empty.gguf").string();
  { std::FILE* fp = std::fopen(empty.c_str(), "wb"); std::fclose(fp); }
  const Status s = GgufFile::Open(empty).status();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find(empty), std::string::npos) << s.message();
}

TEST(GgufRoundTrip, ConcurrentReadersSeeTheSameFile) {
  const std::vector<uint8_t> bytes = testing::MakeSampleGguf();
  auto f = GgufFile::FromBuffer(bytes);
  ASSERT_TRUE(f.ok());
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 200; ++k) {
        if (*f->GetU32(testing::kSampleCount) == 7 &&
            f->FindTensor(testing::kTensorB) != nullptr &&
            f->GetStringArray(testing::kSampleWords)->size() == 2) {
          good.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 800);
}

}  // namespace
}  // namespace vigil::gguf
