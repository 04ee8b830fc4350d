// SPDX-License-Identifier: Apache-2.0
#include "vision/thumbnail.h"

#include <gtest/gtest.h>

#include "tests/vision/jpeg_samples.h"
#include "vision/decode.h"

namespace vigil::vision {
namespace {

using testing::MakeJpeg;

JpegInfo InfoOf(const std::vector<uint8_t>& jpeg) {
  auto info = ValidateJpeg(jpeg);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  return info.ok() ? *info : JpegInfo{};
}

TEST(ThumbnailTest, ScalesLandscapeToBoxWidth) {
  auto thumb = MakeThumbnail(MakeJpeg(1920, 1080));
  ASSERT_TRUE(thumb.ok()) << thumb.status().ToString();
  const JpegInfo info = InfoOf(*thumb);
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 180);
}

TEST(ThumbnailTest, ScalesPortraitToBoxHeight) {
  auto thumb = MakeThumbnail(MakeJpeg(480, 640));
  ASSERT_TRUE(thumb.ok()) << thumb.status().ToString();
  const JpegInfo info = InfoOf(*thumb);
  EXPECT_EQ(info.width, 240);
  EXPECT_EQ(info.height, 320);
}

TEST(ThumbnailTest, NeverUpscales) {
  auto thumb = MakeThumbnail(MakeJpeg(100, 50));
  ASSERT_TRUE(thumb.ok());
  const JpegInfo info = InfoOf(*thumb);
  EXPECT_EQ(info.width, 100);
  EXPECT_EQ(info.height, 50);
}

TEST(ThumbnailTest, CustomBoxAndQuality) {
  ThumbnailOptions o;
  o.max_width = 64;
  o.max_height = 64;
  o.quality = 50;
  const auto src = MakeJpeg(1000, 500);
  auto thumb = MakeThumbnail(src, o);
  ASSERT_TRUE(thumb.ok());
  const JpegInfo info = InfoOf(*thumb);
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 32);
  EXPECT_LT(thumb->size(), src.size());
}

TEST(ThumbnailTest, RejectsCorruptInputAndBadOptions) {
  auto jpeg = MakeJpeg(64, 64);
  jpeg.resize(jpeg.size() / 2);
  auto bad = MakeThumbnail(jpeg);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt);
  ThumbnailOptions o;
  o.quality = 0;
  auto bad_opts = MakeThumbnail(MakeJpeg(8, 8), o);
  ASSERT_FALSE(bad_opts.ok());
  EXPECT_EQ(bad_opts.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::vision
