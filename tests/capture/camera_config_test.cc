// SPDX-License-Identifier: Apache-2.0
// One failing case per validation rule, plus enum name round trips.
#include "capture/camera_config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace vigil::capture {
namespace {

CameraConfig Valid() {
  CameraConfig c;
  c.name = "front_door";
  c.kind = SourceKind::kHttp;
  c.url = "http://cam.local/snap.jpg";
  c.password = "hunter2-long";
  return c;
}

TEST(CameraConfigTest, ValidConfigPasses) {
  EXPECT_TRUE(Validate(Valid()).ok());
  CameraConfig demo;
  demo.name = "demo";
  EXPECT_TRUE(Validate(demo).ok());
}

TEST(CameraConfigTest, EachRuleHasAFailingCase) {
  struct Case {
    const char* what;
    std::function<void(CameraConfig&)> breakit;
    const char* field;
  };
  const Case cases[] = {
      {"empty name", [](auto& c) { c.name = ""; }, ".name"},
      {"slash in name", [](auto& c) { c.name = "../etc"; }, ".name"},
      {"long name", [](auto& c) { c.name = std::string(65, 'a'); }, ".name"},
      {"zero interval", [](auto& c) { c.interval_s = 0; }, "interval_s"},
      {"nan interval", [](auto& c) { c.interval_s = NAN; }, "interval_s"},
      {"huge interval", [](auto& c) { c.interval_s = 1e9; }, "interval_s"},
      {"negative jitter", [](auto& c) { c.jitter_s = -1; }, "jitter_s"},
      {"zero timeout", [](auto& c) { c.timeout_s = 0; }, "timeout_s"},
      {"zero connect", [](auto& c) { c.connect_timeout_s = 0; },
       "connect_timeout_s"},
      {"negative backoff", [](auto& c) { c.max_backoff_s = -5; },
       "max_backoff_s"},
      {"tiny max_bytes", [](auto& c) { c.max_bytes = 10; }, "max_bytes"},
      {"quality 0", [](auto& c) { c.jpeg_quality = 0; }, "jpeg_quality"},
      {"quality 101", [](auto& c) { c.jpeg_quality = 101; }, "jpeg_quality"},
      {"negative width", [](auto& c) { c.width = -1; }, "width"},
      {"warmup", [](auto& c) { c.warmup_frames = 1000; }, "warmup_frames"},
      {"ftp url for http", [](auto& c) { c.url = "ftp://x/y.jpg"; }, ".url"},
      {"rtsp without url",
       [](auto& c) {
         c.kind = SourceKind::kRtsp;
         c.url = "";
       },
       ".url"},
      {"v4l2 without device", [](auto& c) { c.kind = SourceKind::kV4l2; },
       ".device"},
      {"folder missing", [](auto& c) { c.kind = SourceKind::kWatchFolder; },
       ".folder"},
      {"bad kind", [](auto& c) { c.kind = SourceKind::kSentinel; }, ".kind"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    CameraConfig c = Valid();
    k.breakit(c);
    Status s = Validate(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(k.field), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("hunter2"), std::string::npos);
  }
}

TEST(CameraConfigTest, MessagesNameCameraAndValue) {
  CameraConfig c = Valid();
  c.interval_s = 0;
  EXPECT_EQ(Validate(c).message(),
            "cameras.front_door.interval_s: must be > 0, got 0");
}

TEST(CameraConfigTest, DuplicateNamesRejected) {
  std::vector<CameraConfig> cams = {Valid(), Valid()};
  Status s = ValidateCameras(cams);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("duplicate"), std::string::npos);
  cams[1].name = "back_door";
  EXPECT_TRUE(ValidateCameras(cams).ok());
}

TEST(CameraConfigTest, EnumNamesRoundTrip) {
  for (int i = 0; i < static_cast<int>(SourceKind::kSentinel); ++i) {
    auto kind = static_cast<SourceKind>(i);
    auto parsed = ParseSourceKind(SourceKindName(kind));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  for (int i = 0; i < static_cast<int>(HttpAuth::kSentinel); ++i) {
    auto auth = static_cast<HttpAuth>(i);
    EXPECT_EQ(*ParseHttpAuth(HttpAuthName(auth)), auth);
  }
  EXPECT_EQ(*ParseAfterIngest("delete"), AfterIngest::kDelete);
  auto bad = ParseSourceKind("onvif");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("watch_folder"), std::string::npos);
  EXPECT_FALSE(EnumValid(SourceKind::kSentinel));
  EXPECT_STREQ(SourceKindName(SourceKind::kSentinel), "invalid");
}

}  // namespace
}  // namespace vigil::capture
