// SPDX-License-Identifier: Apache-2.0
// HTTP snapshot source against a real local camera server: digest and basic
// auth, and every misbehaviour mapped to a clear Status without credentials.
#include <gtest/gtest.h>

#include <chrono>

#include "capture/source_factory.h"
#include "common/log.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

constexpr const char* kUser = "admin";
constexpr const char* kPass = "s3cret-Pa55";

class HttpSourceTest : public ::testing::Test {
 protected:
  CameraConfig Config(const std::string& path) {
    CameraConfig c;
    c.name = "porch";
    c.kind = SourceKind::kHttp;
    c.url = server_.Url(path);
    c.username = kUser;
    c.password = kPass;
    c.timeout_s = 5;
    return c;
  }
  Result<CapturedImage> CaptureFrom(const CameraConfig& c) {
    auto source = MakeSource(c);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    if (!source.ok()) return source.status();
    return (*source)->Capture();
  }
  static void ExpectNoSecret(const Status& s) {
    EXPECT_EQ(s.message().find(kPass), std::string::npos) << s.message();
  }

  testing::LocalCameraServer server_{kUser, kPass};
};

TEST_F(HttpSourceTest, DigestAuthReturnsJpegWithDims) {
  for (HttpAuth auth : {HttpAuth::kDigest, HttpAuth::kAuto}) {
    CameraConfig c = Config("/digest.jpg");
    c.auth = auth;
    auto img = CaptureFrom(c);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    EXPECT_EQ(img->width, 320);
    EXPECT_EQ(img->height, 240);
    EXPECT_EQ(img->jpeg[0], 0xFF);
    EXPECT_EQ(img->jpeg[1], 0xD8);
  }
  EXPECT_EQ(server_.digest_ok.load(), 2);
  EXPECT_EQ(server_.digest_failed.load(), 0);
}

TEST_F(HttpSourceTest, DigestWrongPasswordIsUnauthenticated) {
  CameraConfig c = Config("/digest.jpg");
  c.password = "wrong-password";
  auto img = CaptureFrom(c);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(img.status().message().find("401"), std::string::npos);
  EXPECT_GE(server_.digest_failed.load(), 1);
}

TEST_F(HttpSourceTest, BasicAuthAndCredentialsInUrl) {
  CameraConfig c = Config("/basic.jpg");
  c.auth = HttpAuth::kBasic;
  auto img = CaptureFrom(c);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 640);
  EXPECT_EQ(img->height, 360);

  // Credentials given only in the URL work and never show up again.
  CameraConfig in_url = Config("/basic.jpg");
  in_url.username.clear();
  in_url.password.clear();
  in_url.url = "http://" + std::string(kUser) + ":" + kPass + "@127.0.0.1:" +
               std::to_string(server_.port()) + "/basic.jpg";
  auto source = MakeSource(in_url);
  ASSERT_TRUE(source.ok());
  EXPECT_EQ((*source)->Describe().find(kPass), std::string::npos);
  EXPECT_EQ((*source)->Describe().find(kUser), std::string::npos);
  auto img2 = (*source)->Capture();
  ASSERT_TRUE(img2.ok()) << img2.status().ToString();
  EXPECT_EQ(log::Redact(in_url.url).find(kPass), std::string::npos);
}

TEST_F(HttpSourceTest, MissingCredentialsIsUnauthenticated) {
  CameraConfig c = Config("/basic.jpg");
  c.username.clear();
  c.password.clear();
  auto img = CaptureFrom(c);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnauthenticated);
}

// The corruption table: each bad answer and the code it must produce.
TEST_F(HttpSourceTest, BadAnswersMapToClearErrors) {
  struct Case {
    const char* path;
    StatusCode code;
    const char* says;
  };
  const Case cases[] = {
      {"/corrupt.jpg", StatusCode::kCorrupt, "truncated"},
      {"/garbage.jpg", StatusCode::kCorrupt, "JPEG"},
      {"/html", StatusCode::kCorrupt, "text/html"},
      {"/unauth", StatusCode::kUnauthenticated, "HTTP 401"},
      {"/error", StatusCode::kUnavailable, "HTTP 500"},
      {"/missing", StatusCode::kUnavailable, "HTTP 404"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.path);
    auto img = CaptureFrom(Config(k.path));
    ASSERT_FALSE(img.ok());
    EXPECT_EQ(img.status().code(), k.code) << img.status().ToString();
    EXPECT_NE(img.status().message().find(k.says), std::string::npos)
        << img.status().message();
    EXPECT_NE(img.status().message().find(server_.Url(k.path)),
              std::string::npos)
        << "error should name the URL: " << img.status().message();
    ExpectNoSecret(img.status());
  }
}

TEST_F(HttpSourceTest, OctetStreamJpegIsAccepted) {
  auto img = CaptureFrom(Config("/octet.jpg"));
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 100);
}

TEST_F(HttpSourceTest, HangIsBoundedByTimeout) {
  CameraConfig c = Config("/hang");
  c.timeout_s = 1;
  auto t0 = std::chrono::steady_clock::now();
  auto img = CaptureFrom(c);
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(img.status().message().find("timed out"), std::string::npos)
      << img.status().message();
  EXPECT_LT(took, std::chrono::seconds(20));  // generous: did it fire at all
}

TEST_F(HttpSourceTest, BodyOverMaxBytesIsOutOfRange) {
  CameraConfig c = Config("/big.jpg");
  c.max_bytes = 1 << 20;
  auto img = CaptureFrom(c);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kOutOfRange);
}

TEST_F(HttpSourceTest, RefusedConnectionIsUnavailable) {
  CameraConfig c = Config("/open.jpg");
  c.url = "http://127.0.0.1:1/snap.jpg";  // nothing listens on port 1
  auto img = CaptureFrom(c);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
}

TEST_F(HttpSourceTest, CancelAbortsHangingCapture) {
  CameraConfig c = Config("/hang");
  c.timeout_s = 60;
  auto source = MakeSource(c);
  ASSERT_TRUE(source.ok());
  std::thread canceller([&] {
    while (server_.hangs_started.load() == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    (*source)->Cancel();
  });
  auto img = (*source)->Capture();
  canceller.join();
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(img.status().message().find("cancelled"), std::string::npos);
}

}  // namespace
}  // namespace vigil::capture
