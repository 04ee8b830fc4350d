// SPDX-License-Identifier: Apache-2.0
// The JSON API against a real WebServer, SnapshotStore and Scheduler (demo
// cameras), called over loopback HTTP: auth, paging, ids, traversal, errors.
#include <gtest/gtest.h>

#include <set>

#include "tests/web/api_client.h"
#include "tests/web/test_fixture.h"

namespace vigil::web::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2026-01-01T00:00:00Z
const system_clock::time_point kT0{milliseconds(1767225600000)};

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : api_(app_.port()) {}
  void LogIn() { ASSERT_EQ(api_.Login(kPassword), 200); }

  Appliance app_;
  ApiClient api_;
};

TEST_F(ApiTest, HealthNeedsNoAuth) {
  auto r = api_.Get("/api/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json(r)["status"], "ok");
}

TEST_F(ApiTest, EveryOtherEndpointNeedsAuth) {
  const auto ids = app_.Seed("front_door", 1, kT0, milliseconds(1000));
  const std::string id = std::to_string(ids[0]);
  const std::vector<std::string> gets = {
      "/api/cameras", "/api/snapshots", "/api/snapshots/" + id,
      "/api/snapshots/" + id + "/image", "/api/snapshots/" + id + "/thumbnail",
      "/metrics", "/api/session", "/no/such/page"};
  for (const std::string& path : gets) {
    auto r = api_.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_EQ(Json(r)["code"], "Unauthenticated") << path;
  }
  const std::vector<std::string> posts = {
      "/api/cameras/front_door/snap", "/api/snapshots/" + id + "/keep",
      "/api/logout"};
  for (const std::string& path : posts) {
    auto r = api_.Post(path, "{}");
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
  }
  auto page = api_.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 302);
  EXPECT_EQ(page->get_header_value("Location"), "/login");
  for (const char* open : {"/login", "/assets/app.js", "/assets/style.css",
                           "/favicon.svg"}) {
    auto r = api_.Get(open);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << open;
  }
  // Nothing was stored by the refused snap.
  EXPECT_EQ(app_.store().Stats().count, 1);
}

TEST_F(ApiTest, LoginSetsHardenedCookieAndLogoutEndsIt) {
  EXPECT_EQ(api_.Login("wrong"), 401);
  auto bad = api_.raw().Post("/api/login", "not json", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["code"], "InvalidBody");

  nlohmann::json body{{"password", kPassword}};
  auto r = api_.raw().Post("/api/login", body.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("vigil_session="));
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // not configured
  EXPECT_EQ(cookie.substr(14, cookie.find(';') - 14).size(), 64u);

  LogIn();
  EXPECT_EQ(api_.Get("/api/cameras")->status, 200);
  EXPECT_EQ(api_.Get("/")->status, 200);
  auto out = api_.Post("/api/logout", "", api_.Csrf());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"),
            std::string::npos);
  EXPECT_EQ(api_.Get("/api/cameras")->status, 401);  // old cookie is dead
}

TEST_F(ApiTest, LoginIsRateLimitedPerClient) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(api_.Login("nope"), 401);
  nlohmann::json body{{"password", kPassword}};
  auto r = api_.raw().Post("/api/login", body.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);  // even the right password waits
  EXPECT_EQ(Json(r)["code"], "RateLimited");
  EXPECT_GT(std::stoi(r->get_header_value("Retry-After")), 0);
}

TEST_F(ApiTest, BearerTokenWorksForScripts) {
  const auto ids = app_.Seed("front_door", 2, kT0, milliseconds(1000));
  httplib::Headers token{{"Authorization", std::string("Bearer ") + kToken}};
  EXPECT_EQ(api_.Get("/api/snapshots", token)->status, 200);
  EXPECT_EQ(api_.Get("/metrics", token)->status, 200);
  // No CSRF header needed: browsers never attach bearer tokens by themselves.
  auto keep = api_.Post("/api/snapshots/" + std::to_string(ids[0]) + "/keep",
                        R"({"kept": true})", token);
  ASSERT_TRUE(keep);
  EXPECT_EQ(keep->status, 200);
  httplib::Headers wrong{{"Authorization", "Bearer nope-nope-nope-nope"}};
  EXPECT_EQ(api_.Get("/api/snapshots", wrong)->status, 401);
  httplib::Headers basic{{"Authorization", "Basic YTpi"}};
  EXPECT_EQ(api_.Get("/api/snapshots", basic)->status, 401);
}

TEST_F(ApiTest, StateChangesNeedSameOriginOrCsrfToken) {
  LogIn();
  const auto ids = app_.Seed("front_door", 1, kT0, milliseconds(1000));
  const std::string path = "/api/snapshots/" + std::to_string(ids[0]) + "/keep";
  const std::string origin = "http://127.0.0.1:" + std::to_string(app_.port());
  EXPECT_EQ(api_.Post(path, "")->status, 403);
  EXPECT_EQ(api_.Post(path, "", {{"Origin", "http://evil.example"}})->status,
            403);
  httplib::Headers evil_with_token = api_.Csrf();
  evil_with_token.emplace("Origin", "http://evil.example");
  EXPECT_EQ(api_.Post(path, "", evil_with_token)->status, 403);
  EXPECT_EQ(api_.Post(path, "", {{"X-CSRF-Token", "forged"}})->status, 403);
  EXPECT_EQ(api_.Post(path, "", {{"Origin", origin}})->status, 200);
  EXPECT_EQ(api_.Post(path, "", {{"Referer", origin + "/"}})->status, 200);
  EXPECT_EQ(api_.Post(path, "", api_.Csrf())->status, 200);
  // Login from a foreign page is refused too (login CSRF).
  auto r = api_.raw().Post("/api/login", {{"Origin", "http://evil.example"}},
                           R"({"password":"x"})", "application/json");
  EXPECT_EQ(r->status, 403);
}

TEST_F(ApiTest, NoCorsAndSecurityHeaders) {
  LogIn();
  auto r = api_.Get("/api/cameras", {{"Origin", "http://evil.example"}});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_header("Access-Control-Allow-Origin"));
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find(
                "default-src 'self'"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::web::testing
