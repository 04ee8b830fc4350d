// SPDX-License-Identifier: Apache-2.0
// The kQuads layout: where each 16-byte chunk goes, and rows gathered back.
#include "inference/kernels/weight_layout.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace vigil::kernels {
namespace {

constexpr size_t kRows = 8, kCols = 512, kRowBytes = kCols / 256 * 144;

std::vector<uint8_t> CountingRows(size_t row_bytes = kRowBytes) {
  std::vector<uint8_t> data(kRows * row_bytes);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + i / 251);
  return data;
}

// kRows counting rows of `type` and their kQuads copy.
struct Repacked {
  std::vector<uint8_t> data, quads;
};
Repacked RepackCountingRows(gguf::GgmlType type, size_t row_bytes) {
  Repacked r{CountingRows(row_bytes), {}};
  r.quads.resize(r.data.size());
  RepackQuads({type, r.data.data(), kRows, kCols, row_bytes}, 0, kRows, r.quads.data());
  return r;
}

TEST(WeightLayoutTest, ChunkCOfFourRowsSitsSideBySidePerSuperBlock) {
  const auto [data, quads] = RepackCountingRows(gguf::GgmlType::kQ4_K, kRowBytes);
  for (size_t row = 0; row < kRows; ++row) {
    for (size_t s = 0; s < kCols / 256; ++s) {
      for (size_t c = 0; c < 144 / 16; ++c) {
        const size_t at = row / 4 * 4 * kRowBytes + ((s * 9 + c) * 4 + row % 4) * 16;
        ASSERT_EQ(std::memcmp(&quads[at], &data[row * kRowBytes + s * 144 + 16 * c], 16), 0)
            << "row " << row << " block " << s << " chunk " << c;
      }
    }
  }
}

// Q6_K's 210-byte blocks: 13 chunks of 16 bytes, then the four rows' 2-byte
// d after all chunks.
TEST(WeightLayoutTest, Q6_KTailBytesFollowTheChunks) {
  constexpr size_t kQ6RowBytes = kCols / 256 * 210;
  const auto [data, quads] = RepackCountingRows(gguf::GgmlType::kQ6_K, kQ6RowBytes);
  for (size_t row = 0; row < kRows; ++row) {
    for (size_t s = 0; s < kCols / 256; ++s) {
      const size_t block = row / 4 * 4 * kQ6RowBytes + 4 * 210 * s;
      ASSERT_EQ(std::memcmp(&quads[block + (4 * 12 + row % 4) * 16],
                            &data[row * kQ6RowBytes + s * 210 + 192], 16), 0);
      ASSERT_EQ(std::memcmp(&quads[block + 13 * 64 + 2 * (row % 4)],
                            &data[row * kQ6RowBytes + s * 210 + 208], 2), 0);
    }
  }
}

// Q4_0 in steps of 4 blocks: the 16 quant bytes of block j of row k at
// slot 4j + k, then the 16 scales, d of block j of row k at 4j + k.
TEST(WeightLayoutTest, Q4_0QuantsThenScalesPerFourBlocks) {
  constexpr size_t kQ4RowBytes = kCols / 32 * 18;
  const auto [data, quads] = RepackCountingRows(gguf::GgmlType::kQ4_0, kQ4RowBytes);
  for (size_t row = 0; row < kRows; ++row) {
    for (size_t b = 0; b < kCols / 32; ++b) {
      const size_t step = row / 4 * 4 * kQ4RowBytes + 4 * 72 * (b / 4), j = b % 4;
      const uint8_t* block = &data[row * kQ4RowBytes + 18 * b];
      ASSERT_EQ(std::memcmp(&quads[step + (4 * j + row % 4) * 16], block + 2, 16), 0);
      ASSERT_EQ(std::memcmp(&quads[step + 256 + 2 * (4 * j + row % 4)], block, 2), 0);
    }
  }
}

TEST(WeightLayoutTest, RowsGatherBackAndRepackingInPartsIsTheSame) {
  for (const auto& [type, bytes_per_256] : {std::pair{gguf::GgmlType::kQ4_0, size_t{144}},
                                            std::pair{gguf::GgmlType::kQ4_K, size_t{144}},
                                            std::pair{gguf::GgmlType::kQ6_K, size_t{210}}}) {
    const size_t row_bytes = kCols / 256 * bytes_per_256;
    const std::vector<uint8_t> data = CountingRows(row_bytes);
    const WeightMatrix w{type, data.data(), kRows, kCols, row_bytes};
    std::vector<uint8_t> whole(data.size()), parts(data.size());
    RepackQuads(w, 0, kRows, whole.data());
    RepackQuads(w, 4, 8, parts.data());
    RepackQuads(w, 0, 4, parts.data());
    EXPECT_EQ(whole, parts);
    const WeightMatrix q = AsQuads(w, whole.data());
    EXPECT_EQ(q.layout, RowLayout::kQuads);
    for (size_t row = 0; row < kRows; ++row) {
      ASSERT_EQ(std::memcmp(RowBlocks(q, row), &data[row * row_bytes], row_bytes), 0) << row;
      EXPECT_EQ(RowBlocks(w, row), &data[row * row_bytes]);
    }
  }
}

TEST(WeightLayoutTest, OnlyStreamedTypesInRowsOfFourFit) {
  uint8_t buf[8 * 272] = {};
  EXPECT_TRUE(FitsQuads({gguf::GgmlType::kQ4_K, buf, 8, 256, 144}));
  EXPECT_TRUE(FitsQuads({gguf::GgmlType::kQ6_K, buf, 8, 256, 210}));
  EXPECT_TRUE(FitsQuads({gguf::GgmlType::kQ4_0, buf, 8, 128, 72}));
  EXPECT_FALSE(FitsQuads({gguf::GgmlType::kQ4_K, buf, 5, 256, 144}));
  EXPECT_FALSE(FitsQuads({gguf::GgmlType::kQ4_0, buf, 8, 96, 54}));
  EXPECT_FALSE(FitsQuads({gguf::GgmlType::kQ8_0, buf, 8, 256, 272}));
  EXPECT_FALSE(FitsQuads({gguf::GgmlType::kQ4_K, buf, 4, 256, 144, RowLayout::kQuads}));
}

}  // namespace
}  // namespace vigil::kernels
