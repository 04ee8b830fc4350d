// SPDX-License-Identifier: Apache-2.0
// JPEG validation: valid variants plus a corruption table (STYLE.md §5.5).
#include "vision/decode.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "tests/vision/jpeg_samples.h"

namespace vigil::vision {
namespace {

using testing::FindMarker;
using testing::MakeJpeg;

TEST(DecodeTest, ReadsDimensionsOfBaselineColorJpeg) {
  const auto jpeg = MakeJpeg(64, 48);
  auto info = ValidateJpeg(jpeg);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 64);
  EXPECT_EQ(info->height, 48);
  EXPECT_EQ(info->components, 3);
  EXPECT_FALSE(info->progressive);
}

TEST(DecodeTest, ReadsGrayAndProgressive) {
  auto gray = ValidateJpeg(MakeJpeg(33, 17, 1, /*gray=*/true));
  ASSERT_TRUE(gray.ok()) << gray.status().ToString();
  EXPECT_EQ(gray->components, 1);
  EXPECT_EQ(gray->width, 33);
  auto prog = ValidateJpeg(MakeJpeg(80, 60, 2, false, /*progressive=*/true));
  ASSERT_TRUE(prog.ok()) << prog.status().ToString();
  EXPECT_TRUE(prog->progressive);
  EXPECT_EQ(prog->height, 60);
}

TEST(DecodeTest, AcceptsTrailingBytesAfterEoi) {
  auto jpeg = MakeJpeg(16, 16);
  jpeg.insert(jpeg.end(), {0x00, 0x12, 0xFF, 0xD8});
  EXPECT_TRUE(ValidateJpeg(jpeg).ok());
}

TEST(DecodeTest, SkipsEoiBytesInsideAnAppSegment) {
  // An EXIF thumbnail carries its own FF D8 ... FF D9 inside APP1.
  auto jpeg = MakeJpeg(16, 16);
  const std::vector<uint8_t> app1 = {0xFF, 0xE1, 0x00, 0x08, 0xFF,
                                     0xD8, 0x01, 0x02, 0xFF, 0xD9};
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  auto info = ValidateJpeg(jpeg);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 16);
}

struct CorruptCase {
  const char* name;
  std::function<void(std::vector<uint8_t>&)> mutate;
  StatusCode expected;
};

void SetSofDims(std::vector<uint8_t>& j, int w, int h) {
  const long sof = FindMarker(j, 0xC0);
  ASSERT_GT(sof, 0);
  j[sof + 5] = static_cast<uint8_t>(h >> 8);
  j[sof + 6] = static_cast<uint8_t>(h & 255);
  j[sof + 7] = static_cast<uint8_t>(w >> 8);
  j[sof + 8] = static_cast<uint8_t>(w & 255);
}

TEST(DecodeTest, CorruptionTable) {
  const std::vector<CorruptCase> cases = {
      {"empty", [](auto& j) { j.clear(); }, StatusCode::kCorrupt},
      {"html",
       [](auto& j) {
         j.assign({'<', 'h', 't', 'm', 'l', '>'});
       },
       StatusCode::kCorrupt},
      {"png magic",
       [](auto& j) {
         j[0] = 0x89;
         j[1] = 'P';
       },
       StatusCode::kCorrupt},
      {"truncated to 10 bytes", [](auto& j) { j.resize(10); },
       StatusCode::kCorrupt},
      {"truncated in half", [](auto& j) { j.resize(j.size() / 2); },
       StatusCode::kCorrupt},
      {"missing last byte", [](auto& j) { j.pop_back(); },
       StatusCode::kCorrupt},
      {"segment length past end",
       [](auto& j) {
         j[4] = 0xFF;
         j[5] = 0xF0;
       },
       StatusCode::kCorrupt},
      {"segment length below 2",
       [](auto& j) {
         j[4] = 0x00;
         j[5] = 0x01;
       },
       StatusCode::kCorrupt},
      {"no marker after segment", [](auto& j) { j[2] = 0x12; },
       StatusCode::kCorrupt},
      {"zero width", [](auto& j) { SetSofDims(j, 0, 16); },
       StatusCode::kCorrupt},
      {"DNL height", [](auto& j) { SetSofDims(j, 16, 0); },
       StatusCode::kUnsupported},
      {"lossless frame", [](auto& j) { j[FindMarker(j, 0xC0) + 1] = 0xC3; },
       StatusCode::kUnsupported},
      {"dims beyond limit", [](auto& j) { SetSofDims(j, 20000, 20000); },
       StatusCode::kOutOfRange},
      {"header dims differ from data", [](auto& j) { SetSofDims(j, 64, 4000); },
       StatusCode::kCorrupt},
      {"scan before frame header",
       [](auto& j) { j[FindMarker(j, 0xC0) + 1] = 0xE5; },
       StatusCode::kCorrupt},
      {"damaged scan data",
       [](auto& j) {
         const long sos = FindMarker(j, 0xDA);
         const size_t mid = (sos + j.size()) / 2;
         for (size_t i = mid; i < mid + 16; i += 2) {
           j[i] = 0xFF;
           j[i + 1] = 0xD3;  // restart markers where none belong
         }
       },
       StatusCode::kCorrupt},
      {"SOI only",
       [](auto& j) {
         j = {0xFF, 0xD8, 0xFF, 0xD9};
       },
       StatusCode::kCorrupt},
  };
  for (const CorruptCase& c : cases) {
    auto jpeg = MakeJpeg(16, 16, 3);
    c.mutate(jpeg);
    auto info = ValidateJpeg(jpeg);
    ASSERT_FALSE(info.ok()) << c.name;
    EXPECT_EQ(info.status().code(), c.expected)
        << c.name << ": " << info.status().ToString();
    EXPECT_FALSE(info.status().message().empty()) << c.name;
  }
}

TEST(DecodeTest, RejectsOversizedInputBeforeParsing) {
  const auto jpeg = MakeJpeg(16, 16);
  JpegLimits limits;
  limits.max_bytes = jpeg.size() - 1;
  auto info = ReadJpegHeader(jpeg, limits);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(info.status().message().find("limit"), std::string::npos);
}

TEST(DecodeTest, MessageNamesOffsetOfBadSegment) {
  auto jpeg = MakeJpeg(16, 16);
  jpeg[4] = 0xFF;
  jpeg[5] = 0xF0;
  auto info = ReadJpegHeader(jpeg);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find("offset 4"), std::string::npos)
      << info.status().message();
}

// Every single-byte change and every truncation of a small JPEG returns a
// value (never crashes); the result may be OK where the change is harmless.
TEST(DecodeTest, SurvivesEveryTruncationAndByteFlip) {
  const auto jpeg = MakeJpeg(24, 16, 5);
  for (size_t n = 0; n < jpeg.size(); ++n) {
    std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + n);
    EXPECT_FALSE(ValidateJpeg(cut).ok()) << "truncated to " << n;
  }
  for (size_t i = 0; i < jpeg.size(); ++i) {
    auto bad = jpeg;
    bad[i] ^= 0xA5;
    (void)ValidateJpeg(bad);
  }
}

}  // namespace
}  // namespace vigil::vision
