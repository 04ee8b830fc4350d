// SPDX-License-Identifier: Apache-2.0
// Named regression cases for inputs the GGUF fuzzer found; the minimized
// files live in tests/fuzz/corpus/gguf/ and are replayed there as well.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "inference/gguf/reader.h"

namespace vigil::gguf {
namespace {

std::vector<uint8_t> ReadCorpusFile(const std::string& name) {
  const std::string path =
      std::string(VIGIL_SOURCE_DIR) + "/tests/fuzz/corpus/gguf/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return {std::istreambuf_iterator<char>(in), {}};
}

// UBSan: memcpy into the null data() of an empty vector when an f32 array
// has zero elements.
TEST(GgufFuzzRegression, EmptyF32Array) {
  const auto bytes = ReadCorpusFile("regression_empty_f32_array.gguf");
  auto f = GgufFile::FromBuffer(bytes);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->metadata().size(), 1u);
  const std::string_view key = f->metadata()[0].key;
  auto values = f->GetF32Array(key);
  ASSERT_TRUE(values.ok());
  EXPECT_TRUE(values->empty());
  EXPECT_EQ(*f->GetArrayLength(key), 0u);
}

}  // namespace
}  // namespace vigil::gguf
