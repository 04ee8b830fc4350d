// SPDX-License-Identifier: Apache-2.0
#include "analysis/crop.h"

#include <gtest/gtest.h>

namespace vigil::analysis {
namespace {

TEST(Crop, SmallSubjectInA4kFrameGetsAPaddedCrop) {
  const CropOptions o;
  // A person 40x100 px at the far end of a 3840x2160 frame.
  auto r = SubjectCrop({3000, 900, 40, 100}, 3840, 2160, o);
  ASSERT_TRUE(r.has_value());
  EXPECT_LE(r->x, 3000);
  EXPECT_LE(r->y, 900);
  EXPECT_GE(r->x + r->width, 3040);
  EXPECT_GE(r->y + r->height, 1000);
  EXPECT_GE(r->width, o.min_side);
  EXPECT_GE(r->height, 200);  // padding: 100 * (1 + 2 * 0.5)
  EXPECT_LE(r->x + r->width, 3840);
  EXPECT_LE(r->y + r->height, 2160);
}

TEST(Crop, RegionAtTheEdgeStaysInside) {
  auto r = SubjectCrop({3800, 2100, 40, 60}, 3840, 2160, {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->x + r->width, 3840);
  EXPECT_EQ(r->y + r->height, 2160);
  EXPECT_GE(r->x, 0);
}

TEST(Crop, NoCropWhenLargeOffOrEmpty) {
  EXPECT_FALSE(SubjectCrop({0, 0, 1200, 800}, 1920, 1080, {}).has_value());
  EXPECT_FALSE(SubjectCrop({}, 1920, 1080, {}).has_value());
  CropOptions off;
  off.enabled = false;
  EXPECT_FALSE(SubjectCrop({100, 100, 40, 40}, 1920, 1080, off).has_value());
  // A small frame: the padded crop would be most of it.
  EXPECT_FALSE(SubjectCrop({100, 100, 60, 60}, 320, 240, {}).has_value());
}

TEST(Crop, CropImageCopiesPixels) {
  vision::RgbImage img{4, 3, std::vector<uint8_t>(4 * 3 * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = uint8_t(i);
  auto c = CropImage(img, {1, 1, 2, 2});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->width, 2);
  EXPECT_EQ(c->rgb[0], img.rgb[(1 * 4 + 1) * 3]);
  EXPECT_EQ(c->rgb.back(), img.rgb[(2 * 4 + 2) * 3 + 2]);
  EXPECT_FALSE(CropImage(img, {3, 0, 2, 2}).ok());
  EXPECT_FALSE(CropImage(img, {-1, 0, 2, 2}).ok());
  EXPECT_FALSE(CropImage(img, {0, 0, 0, 2}).ok());
}

TEST(Crop, OptionsValidation) {
  CropOptions o;
  EXPECT_TRUE(Validate(o).ok());
  o.max_region_fraction = 0;
  EXPECT_FALSE(Validate(o).ok());
  o = {};
  o.min_side = 10;
  EXPECT_NE(Validate(o).message().find("crop.min_side"), std::string::npos);
}

}  // namespace
}  // namespace vigil::analysis
