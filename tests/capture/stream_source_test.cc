// SPDX-License-Identifier: Apache-2.0
// MJPEG over HTTP from the local camera server, and the OpenCV stream path
// (kind rtsp) reading an MJPG .avi written by cv::VideoWriter.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "capture/mjpeg_parser.h"
#include "capture/source_factory.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;

TEST(MjpegParserTest, BoundaryVariants) {
  EXPECT_EQ(BoundaryOf("multipart/x-mixed-replace; boundary=frame"), "frame");
  EXPECT_EQ(BoundaryOf("multipart/x-mixed-replace;boundary=\"--myb\""), "myb");
  EXPECT_EQ(BoundaryOf("multipart/x-mixed-replace; boundary=a; x=y"), "a");
  EXPECT_EQ(BoundaryOf("image/jpeg"), "");
  EXPECT_EQ(BoundaryOf("multipart/x-mixed-replace"), "");
}

std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(MjpegParserTest, FindsPartsWithAndWithoutLength) {
  auto with_len = Bytes("--b\r\nContent-Type: image/jpeg\r\nContent-Length: 5"
                        "\r\n\r\nABCDE\r\n--b\r\n");
  auto r = FindFirstPart(with_len, "b");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(std::string(with_len.begin() + r->begin, with_len.begin() + r->end),
            "ABCDE");
  auto no_len = Bytes("\r\n--b\r\nContent-Type: image/jpeg\r\n\r\nXYZ\r\n--b");
  r = FindFirstPart(no_len, "b");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(std::string(no_len.begin() + r->begin, no_len.begin() + r->end),
            "XYZ");
  // Boundary text inside the image data is not a delimiter.
  auto inside = Bytes("--b\r\n\r\nXY--b Z\r\n--b\r\n");
  r = FindFirstPart(inside, "b");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(std::string(inside.begin() + r->begin, inside.begin() + r->end),
            "XY--b Z");
  auto lf_only = Bytes("--b\nContent-Type: image/jpeg\n\nQQ\n--b\n");
  r = FindFirstPart(lf_only, "b");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(std::string(lf_only.begin() + r->begin, lf_only.begin() + r->end),
            "QQ");
}

TEST(MjpegParserTest, IncompleteOrHostileInputNeedsMoreBytes) {
  const char* cases[] = {
      "",
      "--b",
      "--b\r\nContent-Type: image/jpeg\r\n",
      "--b\r\nContent-Length: 99999999999999999999999\r\n\r\nAB",
      "--b\r\nContent-Length: 10\r\n\r\nABC",
      "--b\r\n\r\nno closing boundary yet",
  };
  for (const char* c : cases) {
    SCOPED_TRACE(c);
    EXPECT_FALSE(FindFirstPart(Bytes(c), "b").has_value());
  }
}

class MjpegHttpTest : public ::testing::Test {
 protected:
  CameraConfig Config(const std::string& path) {
    CameraConfig c;
    c.name = "garage";
    c.kind = SourceKind::kMjpeg;
    c.url = server_.Url(path);
    c.username = "viewer";
    c.password = "mjpeg-pass";
    c.auth = HttpAuth::kDigest;
    c.timeout_s = 10;
    return c;
  }
  testing::LocalCameraServer server_{"viewer", "mjpeg-pass"};
};

TEST_F(MjpegHttpTest, TakesFirstFrameFromDigestProtectedStream) {
  auto source = MakeSource(Config("/stream.mjpg"));
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  for (int i = 0; i < 2; ++i) {  // reconnects per capture
    auto img = (*source)->Capture();
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    EXPECT_EQ(img->width, 160);
    EXPECT_EQ(img->height, 120);
  }
  EXPECT_GE(server_.digest_ok.load(), 2);
}

TEST_F(MjpegHttpTest, StreamWithoutPartLengths) {
  CameraConfig c = Config("/stream-nolen.mjpg");
  c.username.clear();
  c.password.clear();
  auto source = MakeSource(c);
  ASSERT_TRUE(source.ok());
  auto img = (*source)->Capture();
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 160);
}

TEST_F(MjpegHttpTest, SingleJpegAndHtmlAnswers) {
  auto ok = MakeSource(Config("/open.jpg"));
  ASSERT_TRUE(ok.ok());
  auto img = (*ok)->Capture();
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  auto html = MakeSource(Config("/html"));
  ASSERT_TRUE(html.ok());
  auto bad = (*html)->Capture();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(bad.status().message().find("text/html"), std::string::npos);
}

// Writes `frames` MJPG frames of a moving square to `path`.
bool WriteClip(const fs::path& path, int frames) {
  cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                         10, cv::Size(320, 240));
  if (!writer.isOpened()) return false;
  for (int i = 0; i < frames; ++i) {
    cv::Mat f(240, 320, CV_8UC3, cv::Scalar(30, 30, 30));
    cv::rectangle(f, {10 + i * 10, 50}, {60 + i * 10, 100},
                  cv::Scalar(0, 200, 255), cv::FILLED);
    writer.write(f);
  }
  return true;
}

TEST(VideoCaptureSourceTest, ReadsFramesFromFfmpegStream) {
  fs::path dir = fs::temp_directory_path() /
                 ("vigil_stream_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path clip = dir / "clip.avi";
  ASSERT_TRUE(WriteClip(clip, 20));
  for (double interval : {60.0, 2.0}) {  // closed after each / kept open
    SCOPED_TRACE(interval);
    CameraConfig c;
    c.name = "driveway";
    c.kind = SourceKind::kRtsp;
    c.url = clip.string();
    c.interval_s = interval;
    c.timeout_s = 10;
    auto source = MakeSource(c);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    for (int i = 0; i < 3; ++i) {
      auto img = (*source)->Capture();
      ASSERT_TRUE(img.ok()) << img.status().ToString();
      EXPECT_EQ(img->width, 320);
      EXPECT_EQ(img->height, 240);
    }
  }
  CameraConfig missing;
  missing.name = "nowhere";
  missing.kind = SourceKind::kRtsp;
  missing.url = (dir / "missing.avi").string();
  missing.timeout_s = 2;
  auto source = MakeSource(missing);
  ASSERT_TRUE(source.ok());
  auto img = (*source)->Capture();
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
  fs::remove_all(dir);
}

TEST(VideoCaptureSourceTest, MissingV4l2DeviceIsUnavailable) {
  for (const char* device : {"/dev/video-vigil-does-not-exist", "63",
                             "99999999999999999999999"}) {
    SCOPED_TRACE(device);
    CameraConfig c;
    c.name = "usb";
    c.kind = SourceKind::kV4l2;
    c.device = device;
    c.timeout_s = 2;
    auto source = MakeSource(c);
    ASSERT_TRUE(source.ok());
    auto img = (*source)->Capture();
    ASSERT_FALSE(img.ok());
    EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(img.status().message().find(device), std::string::npos);
  }
}

}  // namespace
}  // namespace vigil::capture
