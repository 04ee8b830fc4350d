// SPDX-License-Identifier: Apache-2.0
// JPEG corruption table for the capture-side check (STYLE.md §5.5).
#include "capture/jpeg_check.h"

#include <gtest/gtest.h>

#include <functional>
#include <opencv2/core.hpp>

#include "local_camera_server.h"

namespace vigil::capture {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(JpegCheckTest, ValidJpegGivesDims) {
  auto img = CheckJpeg(testing::MakeJpeg(123, 45), {}, "test");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 123);
  EXPECT_EQ(img->height, 45);
}

TEST(JpegCheckTest, TrailingPaddingIsTrimmed) {
  Bytes b = testing::MakeJpeg(32, 32);
  size_t n = b.size();
  b.insert(b.end(), {0, 0, '\r', '\n'});
  auto img = CheckJpeg(b, {}, "test");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->jpeg.size(), n);
}

TEST(JpegCheckTest, CorruptionTable) {
  Bytes good = testing::MakeJpeg(64, 48);
  struct Case {
    const char* what;
    std::function<Bytes()> make;
    StatusCode code;
    const char* says;
  };
  const Case cases[] = {
      {"empty", [] { return Bytes{}; }, StatusCode::kCorrupt, "FF D8 FF"},
      {"html",
       [] {
         std::string s = "<html>nope</html>";
         return Bytes(s.begin(), s.end());
       },
       StatusCode::kCorrupt, "<html>"},
      {"truncated", [&] { return Bytes(good.begin(), good.begin() + good.size() / 2); },
       StatusCode::kCorrupt, "truncated"},
      {"only SOI", [] { return Bytes{0xFF, 0xD8, 0xFF, 0xD9}; },
       StatusCode::kCorrupt, "SOF"},
      {"segment past end",
       [] { return Bytes{0xFF, 0xD8, 0xFF, 0xE0, 0x7F, 0xFF, 0x00}; },
       StatusCode::kCorrupt, "remain"},
      {"zero-size frame",
       [] {
         return Bytes{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 0, 0, 0,
                      1, 1, 0x11, 0, 0xFF, 0xD9};
       },
       StatusCode::kCorrupt, "empty"},
      {"decompression bomb",
       [] {
         return Bytes{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0xFF, 0xFF, 0xFF,
                      0xFF, 1, 1, 0x11, 0, 0xFF, 0xD9};
       },
       StatusCode::kOutOfRange, "pixels"},
      {"bogus huffman table",
       [&] {
         // DHT code counts (T.81 §B.2.4.2) summing past 256 make libjpeg
         // abort the decode although the marker structure is intact.
         Bytes b = good;
         for (size_t i = 2; i + 21 < b.size(); ++i) {
           if (b[i] == 0xFF && b[i + 1] == 0xC4) {
             for (size_t k = i + 5; k < i + 21; ++k) b[k] = 0xFF;
             break;
           }
         }
         return b;
       },
       StatusCode::kCorrupt, "decode"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    auto r = CheckJpeg(k.make(), {}, "cam.jpg");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), k.code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(k.says), std::string::npos)
        << r.status().message();
    EXPECT_NE(r.status().message().find("cam.jpg"), std::string::npos);
  }
}

TEST(JpegCheckTest, EncodeFrameRoundTrips) {
  cv::Mat m(30, 40, CV_8UC3, cv::Scalar(10, 20, 30));
  auto img = EncodeFrame(m, 80, {});
  ASSERT_TRUE(img.ok());
  auto back = CheckJpeg(img->jpeg, {}, "enc");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->width, 40);
  EXPECT_EQ(back->height, 30);
  EXPECT_FALSE(EncodeFrame(cv::Mat(), 80, {}).ok());
}

TEST(JpegCheckTest, PreviewEscapesBinary) {
  Bytes b = {'<', 'a', 0x00, 0xFF};
  EXPECT_EQ(PreviewBytes(b), "<a\\x00\\xFF");
  Bytes longer(100, 'x');
  EXPECT_EQ(PreviewBytes(longer, 5), "xxxxx...");
}

}  // namespace
}  // namespace vigil::capture
