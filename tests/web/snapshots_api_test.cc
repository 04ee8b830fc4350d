// SPDX-License-Identifier: Apache-2.0
// Snapshot and camera endpoints over real HTTP: cursor paging, filters,
// images by id, strict ids, traversal attempts, error codes, snap/keep,
// metrics.
#include <gtest/gtest.h>

#include <set>

#include "tests/web/api_client.h"
#include "tests/web/test_fixture.h"

namespace vigil::web::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

const system_clock::time_point kT0{milliseconds(1767225600000)};  // 2026-01-01

class SnapshotsApiTest : public ::testing::Test {
 protected:
  SnapshotsApiTest() : api_(app_.port()) {}
  void SetUp() override { ASSERT_EQ(api_.Login(kPassword), 200); }

  // Follows next_cursor from `query` to the end; returns every id seen.
  std::vector<int64_t> WalkAll(const std::string& query) {
    std::vector<int64_t> ids;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      std::string path = "/api/snapshots?" + query;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      auto r = api_.Get(path);
      EXPECT_EQ(r->status, 200) << r->body;
      const nlohmann::json page = Json(r);
      for (const auto& item : page["items"]) ids.push_back(item["id"]);
      if (page["next_cursor"].is_null()) return ids;
      cursor = page["next_cursor"];
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }

  Appliance app_;
  ApiClient api_;
};

TEST_F(SnapshotsApiTest, CursorPagingVisitsEverySnapshotOnceNewestFirst) {
  auto front = app_.Seed("front_door", 130, kT0, milliseconds(60000));
  auto back = app_.Seed("backyard", 20, kT0 + milliseconds(30000),
                        milliseconds(60000));
  const std::vector<int64_t> all = WalkAll("limit=17");
  ASSERT_EQ(all.size(), 150u);
  EXPECT_EQ(std::set<int64_t>(all.begin(), all.end()).size(), 150u);
  EXPECT_EQ(all.front(), front.back());  // newest first

  const std::vector<int64_t> only_front = WalkAll("camera=front_door&limit=50");
  EXPECT_EQ(only_front, std::vector<int64_t>(front.rbegin(), front.rend()));

  // [00:10, 00:20) on 2026-01-01 holds front_door minutes 10..19.
  const std::vector<int64_t> window = WalkAll(
      "camera=front_door&from=2026-01-01T00:10:00Z&to=1767226800000");
  EXPECT_EQ(window,
            std::vector<int64_t>(front.rbegin() + 110, front.rbegin() + 120));
  auto first = Json(api_.Get("/api/snapshots?limit=1"));
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_FALSE(first["next_cursor"].is_null());
}

TEST_F(SnapshotsApiTest, SnapshotMetadataImageAndThumbnail) {
  const int64_t id = app_.Seed("front_door", 1, kT0, milliseconds(1))[0];
  const std::string base = "/api/snapshots/" + std::to_string(id);
  const nlohmann::json meta = Json(api_.Get(base));
  EXPECT_EQ(meta["id"], id);
  EXPECT_EQ(meta["camera"], "front_door");
  EXPECT_EQ(meta["captured_at_ms"], 1767225600000);
  EXPECT_EQ(meta["width"], 320);
  EXPECT_EQ(meta["height"], 180);
  EXPECT_EQ(meta["kept"], false);
  EXPECT_EQ(meta["image_url"], base + "/image");
  EXPECT_TRUE(meta["report"].is_null());

  auto image = api_.Get(base + "/image");
  ASSERT_EQ(image->status, 200);
  EXPECT_EQ(image->get_header_value("Content-Type"), "image/jpeg");
  const std::vector<uint8_t> on_disk = *app_.store().ReadImage(id);
  EXPECT_EQ(image->body, std::string(on_disk.begin(), on_disk.end()));

  auto thumb = api_.Get(base + "/thumbnail");
  ASSERT_EQ(thumb->status, 200);
  ASSERT_GT(thumb->body.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(thumb->body[0]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(thumb->body[1]), 0xD8);
  EXPECT_LT(thumb->body.size(), image->body.size());

  for (const char* missing : {"/api/snapshots/999999",
                              "/api/snapshots/999999/image",
                              "/api/snapshots/999999/thumbnail"}) {
    auto r = api_.Get(missing);
    EXPECT_EQ(r->status, 404) << missing;
    EXPECT_EQ(Json(r)["code"], "NotFound") << missing;
  }
}

TEST_F(SnapshotsApiTest, IdsAreParsedStrictly) {
  app_.Seed("front_door", 1, kT0, milliseconds(1));
  for (const char* id : {"1;", "01", "-1", "0", "1e0", "0x1", "1%20",
                         "99999999999999999999", "abc", "1;rm%20-rf"}) {
    for (const char* suffix : {"", "/image", "/thumbnail"}) {
      auto r = api_.Get(std::string("/api/snapshots/") + id + suffix);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 400) << id << suffix;
      EXPECT_EQ(Json(r)["code"], "InvalidId") << id << suffix;
    }
  }
}

TEST_F(SnapshotsApiTest, TraversalAttemptsGet404Or400) {
  app_.Seed("front_door", 1, kT0, milliseconds(1));
  const std::vector<std::string> paths = {
      "/api/snapshots/../../etc/passwd",
      "/api/snapshots/%2e%2e/%2e%2e/etc/passwd",
      "/api/snapshots/..%2f..%2fetc%2fpasswd/image",
      "/api/snapshots/1/../../../etc/passwd",
      "/assets/../../etc/passwd",
      "/assets/%2e%2e%2fserver.cc",
      "/assets/..%5c..%5cetc%5cpasswd",
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/api/snapshots/1/image/../../../index.sqlite",
      "/index.sqlite",
      "/snapshots/front_door/2026-01-01/000000.jpg",
  };
  for (const std::string& p : paths) {
    const int status = RawStatus(
        app_.port(), "GET " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " +
                         api_.cookie() + "\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(status == 404 || status == 400) << p << " -> " << status;
  }
}

TEST_F(SnapshotsApiTest, BadQueriesGetInvalidQueryWithPosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=0", "position 0"},
      {"limit=1000", "[1, 500]"},
      {"camera=front_door&limit=-3", "position 18"},
      {"from=tomorrow", "parameter 'from'"},
      {"cursor=zzz", "parameter 'cursor'"},
      {"camera=..%2F..", "parameter 'camera'"},
      {"sort=asc", "unknown parameter 'sort'"},
      {"limit=1&limit=2", "given twice"},
      {"a=%zz", "bad %-escape"},
      {"from=2026-02-01&to=2026-01-01", "before 'to'"},
  };
  for (const auto& [query, expect] : cases) {
    auto r = api_.Get("/api/snapshots?" + query);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << query;
    const nlohmann::json body = Json(r);
    EXPECT_EQ(body["code"], "InvalidQuery") << query;
    EXPECT_NE(body["message"].get<std::string>().find(expect),
              std::string::npos)
        << query << " -> " << body["message"];
  }
}

TEST_F(SnapshotsApiTest, SnapNowStoresAndCameraListShowsIt) {
  auto r = api_.Post("/api/cameras/backyard/snap", "", api_.Csrf());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const nlohmann::json snap = Json(r);
  EXPECT_EQ(snap["camera"], "backyard");
  EXPECT_TRUE(app_.store().Get(snap["id"]).ok());

  const nlohmann::json cams = Json(api_.Get("/api/cameras"));
  ASSERT_EQ(cams["items"].size(), 2u);
  EXPECT_EQ(cams["items"][0]["name"], "front_door");
  const nlohmann::json& back = cams["items"][1];
  EXPECT_EQ(back["name"], "backyard");
  EXPECT_EQ(back["kind"], "demo");
  EXPECT_EQ(back["online"], true);
  EXPECT_EQ(back["snapshot_count"], 1);
  EXPECT_EQ(back["last_snapshot_id"], snap["id"]);
  EXPECT_EQ(back["latest_snapshot"]["id"], snap["id"]);
  EXPECT_TRUE(cams["items"][0]["latest_snapshot"].is_null());
  EXPECT_EQ(cams["total_snapshots"], 1);

  EXPECT_EQ(api_.Post("/api/cameras/nope/snap", "", api_.Csrf())->status, 404);
  auto bad = api_.Post("/api/cameras/a.b/snap", "", api_.Csrf());
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["code"], "InvalidCamera");
}

TEST_F(SnapshotsApiTest, KeepTogglesAndValidatesBody) {
  const int64_t id = app_.Seed("front_door", 1, kT0, milliseconds(1))[0];
  const std::string path = "/api/snapshots/" + std::to_string(id) + "/keep";
  auto on = api_.Post(path, R"({"kept": true})", api_.Csrf());
  ASSERT_EQ(on->status, 200) << on->body;
  EXPECT_EQ(Json(on)["kept"], true);
  EXPECT_TRUE(app_.store().Get(id)->kept);
  auto off = api_.Post(path, R"({"kept": false})", api_.Csrf());
  EXPECT_EQ(Json(off)["kept"], false);
  EXPECT_FALSE(app_.store().Get(id)->kept);
  for (const char* body : {"[]", R"({"kept": "yes"})", "{", R"({"x": 1})"}) {
    auto r = api_.Post(path, body, api_.Csrf());
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_EQ(Json(r)["code"], "InvalidBody") << body;
  }
  EXPECT_EQ(api_.Post("/api/snapshots/424242/keep", "", api_.Csrf())->status,
            404);
}

TEST_F(SnapshotsApiTest, OversizedBodyIsRefusedWithJson) {
  auto r = api_.Post("/api/cameras/front_door/snap",
                     std::string(200 * 1024, 'x'), api_.Csrf());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Json(r)["code"], "PayloadTooLarge");
  EXPECT_EQ(app_.store().Stats().count, 0);
}

TEST_F(SnapshotsApiTest, MetricsReportRequestsCamerasAndStore) {
  app_.Seed("front_door", 3, kT0, milliseconds(1000));
  ASSERT_EQ(api_.Post("/api/cameras/front_door/snap", "", api_.Csrf())->status,
            201);
  api_.Get("/api/snapshots?limit=2");
  api_.Get("/api/snapshots/77");
  api_.Get("/api/snapshots?limit=0");
  auto r = api_.Get("/metrics");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/plain"),
            std::string::npos);
  const std::string& m = r->body;
  for (const char* line : {
           "vigil_http_requests_total{route=\"/api/snapshots\",method=\"GET\","
           "status=\"200\"} 1",
           "vigil_http_requests_total{route=\"/api/snapshots\",method=\"GET\","
           "status=\"400\"} 1",
           "vigil_http_requests_total{route=\"/api/snapshots/{id}\",method="
           "\"GET\",status=\"404\"} 1",
           "vigil_http_request_duration_seconds_count{route=\"/api/"
           "snapshots\"} 2",
           "vigil_captures_total{camera=\"front_door\"} 1",
           "vigil_capture_failures_total{camera=\"backyard\"} 0",
           "vigil_camera_online{camera=\"front_door\"} 1",
           "vigil_store_total_snapshots 4",
           "vigil_store_snapshots{camera=\"front_door\"} 4",
           "# TYPE vigil_http_request_duration_seconds histogram",
       }) {
    EXPECT_NE(m.find(line), std::string::npos) << line << "\n" << m;
  }
  EXPECT_EQ(m.find(kPassword), std::string::npos);
  EXPECT_EQ(m.find(api_.cookie().substr(14)), std::string::npos);
}

}  // namespace
}  // namespace vigil::web::testing
