// SPDX-License-Identifier: Apache-2.0
// Gemma 4 preprocessing: size selection (llama.cpp and HF rules) over many
// aspect ratios and every budget, the letterbox resize, patch layout, and
// decode with EXIF orientation and hostile inputs.
#include "vision/gemma_preprocess.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace vigil::vision {
namespace {

ImageSize Target(int w, int h, GemmaTokenLimits lim = {}) {
  auto r = GemmaTargetSize({w, h}, lim);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : ImageSize{};
}

int Tokens(ImageSize s) { return (s.width / 48) * (s.height / 48); }

TEST(GemmaTargetSize, MatchesLlamaCppReferenceRuns) {
  // shared/ref/vision (llama.cpp mtmd): default, max48, min140_max560.
  struct Row { int w, h, lo, hi, ew, eh; } rows[] = {
      {640, 360, 40, 280, 624, 384}, {640, 360, 40, 48, 432, 240},
      {640, 360, 140, 560, 768, 432}, {300, 500, 40, 280, 288, 480},
      {300, 500, 40, 48, 240, 384},  {300, 500, 140, 560, 480, 768},
      {97, 211, 40, 280, 240, 480},  {97, 211, 40, 48, 240, 480},
      {97, 211, 140, 560, 432, 864},
      // spec §3.2 examples
      {100, 100, 40, 280, 336, 336}, {640, 480, 40, 280, 624, 480},
      {1024, 1024, 40, 280, 768, 768}, {1920, 1080, 40, 280, 1056, 576},
      {4000, 300, 40, 280, 2928, 192}};
  for (const Row& r : rows) {
    ImageSize s = Target(r.w, r.h, {r.lo, r.hi});
    EXPECT_EQ(s.width, r.ew) << r.w << "x" << r.h << " max " << r.hi;
    EXPECT_EQ(s.height, r.eh) << r.w << "x" << r.h << " max " << r.hi;
  }
}

TEST(GemmaTargetSize, AspectRatiosOneToTenAcrossBudgets) {
  for (int budget : kGemmaBudgets) {
    const GemmaTokenLimits lim = LimitsForBudget(budget);
    for (int i = -20; i <= 20; ++i) {  // ratios 10^(i/20): 1:10 .. 10:1
      const double ratio = std::pow(10.0, i / 20.0);
      for (int base : {480, 1080, 3000}) {
        const int w = ratio >= 1 ? int(base * ratio) : base;
        const int h = ratio >= 1 ? base : int(base / ratio);
        const ImageSize s = Target(w, h, lim);
        SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h) +
                     " budget " + std::to_string(budget));
        EXPECT_EQ(s.width % 48, 0);
        EXPECT_EQ(s.height % 48, 0);
        EXPECT_GE(s.width, 48);
        EXPECT_GE(s.height, 48);
        EXPECT_LE(Tokens(s), budget);
        EXPECT_GE(Tokens(s), std::min(budget, 40) / 2);
        // Aspect kept to within one 48-px cell per side (plus rounding).
        const double got = double(s.width) / s.height;
        const double slack = 1.0 + 1.5 * 48.0 / std::min(s.width, s.height);
        EXPECT_LT(got, ratio * slack);
        EXPECT_GT(got, ratio / slack);
      }
    }
  }
}

TEST(GemmaTargetSize, ExtremeAspectStaysWithinBudget) {
  const ImageSize s = Target(16384, 1, {40, 280});
  EXPECT_EQ(s.height, 48);
  EXPECT_LE(Tokens(s), 280);
  EXPECT_FALSE(GemmaTargetSize({0, 10}, {}).ok());
  EXPECT_FALSE(GemmaTargetSize({10, 10}, {300, 200}).ok());
}

TEST(GemmaReferenceSize, MatchesSpecTable) {
  // spec §3.1 worked examples: input -> W'xH' for B = 70..1120.
  struct Row { int w, h; int out[5][2]; } rows[] = {
      {1024, 1024, {{384, 384}, {528, 528}, {768, 768}, {1104, 1104}, {1584, 1584}}},
      {1920, 1080, {{528, 288}, {720, 384}, {1056, 576}, {1488, 816}, {2112, 1200}}},
      {640, 480, {{432, 336}, {624, 480}, {912, 672}, {1296, 960}, {1824, 1344}}},
      {100, 100, {{384, 384}, {528, 528}, {768, 768}, {1104, 1104}, {1584, 1584}}},
      {4000, 300, {{1440, 96}, {2064, 144}, {2928, 192}, {4128, 288}, {5856, 432}}},
      {20, 10000, {{48, 3360}, {48, 6720}, {48, 13440}, {48, 25392}, {48, 35904}}}};
  for (const Row& r : rows) {
    for (int b = 0; b < 5; ++b) {
      auto s = GemmaReferenceSize({r.w, r.h}, kGemmaBudgets[b]);
      ASSERT_TRUE(s.ok());
      EXPECT_EQ(s.value().width, r.out[b][0]) << r.w << "x" << r.h << " B" << b;
      EXPECT_EQ(s.value().height, r.out[b][1]) << r.w << "x" << r.h << " B" << b;
    }
  }
}

RgbImage Solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  RgbImage img{w, h, {}};
  for (int i = 0; i < w * h; ++i) img.rgb.insert(img.rgb.end(), {r, g, b});
  return img;
}

TEST(LetterboxResize, CentresContentOnBlack) {
  const RgbImage out = LetterboxResize(Solid(100, 50, 200, 10, 30), {96, 96});
  ASSERT_EQ(out.rgb.size(), 96u * 96 * 3);
  auto at = [&](int x, int y, int c) { return out.rgb[(y * 96 + x) * 3 + c]; };
  EXPECT_EQ(at(50, 10, 0), 0);   // top bar (content is 96x48 at y = 24)
  EXPECT_EQ(at(50, 23, 0), 0);
  EXPECT_EQ(at(50, 24, 0), 200);
  EXPECT_EQ(at(0, 71, 1), 10);
  EXPECT_EQ(at(95, 72, 2), 0);   // bottom bar
}

TEST(LetterboxResize, AlignCornersBilinearTruncates) {
  RgbImage src{2, 1, {0, 0, 0, 255, 255, 255}};
  // Scale min(3/2, 2/1) = 1.5: content 3x2 fills the box.
  const RgbImage out = LetterboxResize(src, {3, 2});
  ASSERT_EQ(out.rgb.size(), 18u);
  EXPECT_EQ(out.rgb[0], 0);
  EXPECT_EQ(out.rgb[3], 127);  // 127.5 truncated
  EXPECT_EQ(out.rgb[6], 255);
}

TEST(Patchify, ChannelRowColumnOrder) {
  RgbImage img{48, 48, {}};
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 48; ++x) {
      img.rgb.insert(img.rgb.end(), {uint8_t(x), uint8_t(y), uint8_t(100)});
    }
  }
  auto p = Patchify(img);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().grid_w, 3);
  EXPECT_EQ(p.value().n_tokens, 1);
  // Patch 4 = grid (1, 1): pixel (16 + px, 16 + py); channel c block of 256.
  const float* patch = &p.value().data[4 * 768];
  EXPECT_FLOAT_EQ(patch[0 * 256 + 3 * 16 + 5], (16 + 5) / 255.0f);  // R = x
  EXPECT_FLOAT_EQ(patch[1 * 256 + 3 * 16 + 5], (16 + 3) / 255.0f);  // G = y
  EXPECT_FLOAT_EQ(patch[2 * 256], 100 / 255.0f);
  EXPECT_FALSE(Patchify(Solid(50, 48, 0, 0, 0)).ok());
}

std::vector<uint8_t> Encode(const cv::Mat& m, const char* ext) {
  std::vector<uint8_t> out;
  cv::imencode(ext, m, out);
  return out;
}

TEST(DecodeImage, PngAndJpegToRgb) {
  cv::Mat bgr(20, 40, CV_8UC3, cv::Scalar(255, 0, 0));  // blue in BGR
  auto png = DecodeImage(Encode(bgr, ".png"));
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png.value().width, 40);
  EXPECT_EQ(png.value().rgb[0], 0);
  EXPECT_EQ(png.value().rgb[2], 255);  // R, G, B order
  auto jpg = DecodeImage(Encode(bgr, ".jpg"));
  ASSERT_TRUE(jpg.ok()) << jpg.status().ToString();
  EXPECT_EQ(jpg.value().height, 20);
  cv::Mat grey(8, 8, CV_8UC1, cv::Scalar(77));
  auto g = DecodeImage(Encode(grey, ".png"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g.value().rgb[0], 77);
  EXPECT_EQ(g.value().rgb[1], 77);
}

// Inserts an APP1 EXIF segment with orientation `o` right after SOI.
std::vector<uint8_t> WithExifOrientation(std::vector<uint8_t> jpg, uint16_t o) {
  const uint8_t tiff[] = {'I', 'I', 42, 0, 8, 0, 0, 0,  // header, IFD at 8
                          1, 0,                         // one entry
                          0x12, 0x01, 3, 0, 1, 0, 0, 0,  // 0x0112 SHORT x1
                          uint8_t(o), 0, 0, 0,          // value
                          0, 0, 0, 0};                  // no next IFD
  std::vector<uint8_t> seg = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  seg.insert(seg.end(), std::begin(tiff), std::end(tiff));
  const size_t len = seg.size() - 2;
  seg[2] = uint8_t(len >> 8);
  seg[3] = uint8_t(len);
  jpg.insert(jpg.begin() + 2, seg.begin(), seg.end());
  return jpg;
}

TEST(DecodeImage, HonoursExifOrientation) {
  cv::Mat bgr(20, 40, CV_8UC3, cv::Scalar(0, 0, 0));
  bgr(cv::Rect(0, 0, 10, 20)).setTo(cv::Scalar(255, 255, 255));  // white left
  auto rotated = DecodeImage(WithExifOrientation(Encode(bgr, ".jpg"), 6));
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(rotated.value().width, 20);  // 90 degrees clockwise
  EXPECT_EQ(rotated.value().height, 40);
  // The white left edge is now the top.
  EXPECT_GT(rotated.value().rgb[(2 * 20 + 10) * 3], 200);
  EXPECT_LT(rotated.value().rgb[(35 * 20 + 10) * 3], 50);
}

TEST(DecodeImage, RejectsHostileInputBeforeDecoding) {
  EXPECT_EQ(DecodeImage({}).status().code(), StatusCode::kInvalidArgument);
  const std::string text = "this is not an image at all";
  EXPECT_EQ(DecodeImage({reinterpret_cast<const uint8_t*>(text.data()),
                         text.size()})
                .status()
                .code(),
            StatusCode::kUnsupported);
  // A PNG header claiming 30000x30000 followed by garbage: refused from the
  // header, nothing allocated.
  std::vector<uint8_t> huge = Encode(cv::Mat(4, 4, CV_8UC3), ".png");
  auto put_be32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) huge[at + i] = uint8_t(v >> (24 - 8 * i));
  };
  put_be32(16, 30000);
  put_be32(20, 30000);
  auto r = DecodeImage(huge);
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("30000x30000"), std::string::npos);
  put_be32(16, 0);
  EXPECT_EQ(DecodeImage(huge).status().code(), StatusCode::kCorrupt);
  // Truncated files.
  std::vector<uint8_t> png = Encode(cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), ".png");
  png.resize(png.size() / 2);
  EXPECT_EQ(DecodeImage(png).status().code(), StatusCode::kCorrupt);
  std::vector<uint8_t> jpg = Encode(cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), ".jpg");
  jpg.resize(jpg.size() / 2);
  EXPECT_FALSE(DecodeImage(jpg).ok());
  std::vector<uint8_t> tiny = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  EXPECT_EQ(DecodeImage(tiny).status().code(), StatusCode::kCorrupt);
}

TEST(PreprocessForGemma, EndToEndTokenCount) {
  cv::Mat bgr(360, 640, CV_8UC3, cv::Scalar(10, 20, 30));
  RgbImage resized;
  auto p = PreprocessForGemma(Encode(bgr, ".png"), {}, &resized);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p.value().size.width, 624);
  EXPECT_EQ(p.value().size.height, 384);
  EXPECT_EQ(p.value().n_tokens, 104);
  EXPECT_EQ(p.value().data.size(), size_t(39 * 24 * 768));
  EXPECT_EQ(resized.width, 624);
}

}  // namespace
}  // namespace vigil::vision
