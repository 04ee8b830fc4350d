// SPDX-License-Identifier: Apache-2.0
// The demo camera renders valid JPEGs that change over time.
#include <gtest/gtest.h>

#include <thread>

#include "capture/jpeg_check.h"
#include "capture/source_factory.h"

namespace vigil::capture {
namespace {

TEST(DemoSourceTest, ProducesValidChangingJpegs) {
  CameraConfig c;
  c.name = "demo";
  c.kind = SourceKind::kDemo;
  auto source = MakeSource(c);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Describe(), "demo scene");
  auto a = (*source)->Capture();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->width, 1280);
  EXPECT_EQ(a->height, 720);
  auto checked = CheckJpeg(a->jpeg, a->captured_at, "demo");
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->width, 1280);
  // The clock ticks each second, so a frame 1.1 s later differs.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto b = (*source)->Capture();
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->jpeg, b->jpeg);
  EXPECT_GT(b->captured_at, a->captured_at);
}

TEST(DemoSourceTest, HonoursSizeAndDiffersPerCamera) {
  CameraConfig c;
  c.name = "demo-small";
  c.width = 320;
  c.height = 180;
  auto one = MakeSource(c);
  c.name = "demo-other";
  auto two = MakeSource(c);
  ASSERT_TRUE(one.ok() && two.ok());
  auto a = (*one)->Capture();
  auto b = (*two)->Capture();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->width, 320);
  EXPECT_EQ(a->height, 180);
  EXPECT_NE(a->jpeg, b->jpeg);  // name label and tint differ
}

}  // namespace
}  // namespace vigil::capture

namespace vigil::capture {
namespace {

// Without the CMake option the camera is reported, not silently dropped; with
// it (and no Pi camera attached here) a capture says no camera was found.
TEST(LibcameraSourceTest, ReportsBuildOptionOrMissingCamera) {
  CameraConfig c;
  c.name = "picam";
  c.kind = SourceKind::kLibcamera;
  c.timeout_s = 2;
  c.device = "7";
  auto source = MakeSource(c);
#ifdef VIGIL_WITH_LIBCAMERA
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto img = (*source)->Capture();
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
#else
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(source.status().message().find("VIGIL_WITH_LIBCAMERA"),
            std::string::npos);
#endif
}

}  // namespace
}  // namespace vigil::capture
