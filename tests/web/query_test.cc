// SPDX-License-Identifier: Apache-2.0
// Query-string, id, time and list-parameter parsing: accepted forms and a
// table of rejected inputs with the position they are reported at.
#include "web/query.h"

#include <gtest/gtest.h>

#include "web/route_table.h"

namespace vigil::web {
namespace {

TEST(QueryStringTest, DecodesPairs) {
  auto params = ParseQueryString("a=1&b=x%20y+z&&c=&d");
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[0].key, "a");
  EXPECT_EQ((*params)[1].value, "x y z");
  EXPECT_EQ((*params)[1].position, 4u);
  EXPECT_EQ((*params)[2].value, "");
  EXPECT_EQ((*params)[3].key, "d");
  EXPECT_TRUE(ParseQueryString("")->empty());
}

TEST(QueryStringTest, RejectsWithPosition) {
  struct Case {
    std::string query;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"a=1&=2", "empty parameter name close to position 4"},
      {"a=%4", "truncated %-escape close to position 2"},
      {"a=%zz", "bad %-escape close to position 2"},
      {"ab=1&c=%00", "NUL byte in query close to position 7"},
      {"a=1&a=2", "parameter 'a' given twice close to position 4"},
      {std::string(5000, 'a'), "longer than 4096"},
  };
  for (const Case& c : cases) {
    auto r = ParseQueryString(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << r.status().message();
  }
  std::string many;
  for (int i = 0; i < 33; ++i) many += "k" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseQueryString(many).ok());
}

TEST(SnapshotIdTest, StrictDecimal) {
  EXPECT_EQ(*ParseSnapshotId("1"), 1);
  EXPECT_EQ(*ParseSnapshotId("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "0", "01", "-1", "+1", "1;", "1 ", " 1", "1e3",
                          "0x10", "9223372036854775808", "99999999999999999999",
                          "..", "1/..", "%31"}) {
    EXPECT_EQ(ParseSnapshotId(bad).status().code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(TimeParamTest, AcceptsMsDatesAndRfc3339) {
  EXPECT_EQ(*ParseTimeParam("0"), 0);
  EXPECT_EQ(*ParseTimeParam("1767225600000"), 1767225600000);
  EXPECT_EQ(*ParseTimeParam("2026-01-01"), 1767225600000);
  EXPECT_EQ(*ParseTimeParam("1970-01-01"), 0);
  EXPECT_EQ(*ParseTimeParam("2024-02-29"), 1709164800000);
  EXPECT_EQ(*ParseTimeParam("2026-01-01T10:00:00Z"),
            1767225600000 + 10 * 3600000);
  EXPECT_EQ(*ParseTimeParam("2026-01-01T10:00:00.25+02:00"),
            1767225600000 + 8 * 3600000 + 250);
  EXPECT_EQ(*ParseTimeParam("2026-01-01T10:00-01:30"),
            1767225600000 + 11 * 3600000 + 30 * 60000);
}

TEST(TimeParamTest, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-1", "2026-1-01", "2026-13-01", "2026-02-30", "2023-02-29",
        "1969-12-31", "2026-01-01T", "2026-01-01T25:00Z", "2026-01-01T10:00",
        "2026-01-01T10:00:00+2", "2026-01-01X10:00Z", "-5", "1e12",
        "99999999999999999999", "253402300800000", "2026-01-01T10:00:00.Z"}) {
    EXPECT_EQ(ParseTimeParam(bad).status().code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(ListQueryTest, ParsesAllParameters) {
  auto q = ParseSnapshotListQuery(
      "camera=front_door&from=2026-01-01&to=1767312000000&cursor=123:45&"
      "limit=100");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(*q->camera, "front_door");
  EXPECT_EQ(*q->from_ms, 1767225600000);
  EXPECT_EQ(*q->to_ms, 1767312000000);
  EXPECT_EQ(*q->cursor, "123:45");
  EXPECT_EQ(q->limit, 100);
  auto empty = ParseSnapshotListQuery("camera=&from=&limit=");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->camera);
  EXPECT_EQ(empty->limit, 60);
}

TEST(ListQueryTest, ErrorsNameTheParameterAndPosition) {
  struct Case {
    const char* query;
    const char* expect;
  };
  const Case cases[] = {
      {"limit=0", "parameter 'limit': must be an integer in [1, 500]"},
      {"limit=501", "[1, 500], got '501' close to position 0"},
      {"camera=a&limit=x", "close to position 9"},
      {"camera=../etc", "parameter 'camera'"},
      {"camera=a%2Fb", "parameter 'camera'"},
      {"cursor=abc", "parameter 'cursor'"},
      {"cursor=1:0", "parameter 'cursor'"},
      {"from=yesterday", "parameter 'from'"},
      {"from=2026-01-02&to=2026-01-01", "'from' must be before 'to'"},
      {"camra=x", "unknown parameter 'camra'"},
      {"camra=", "unknown parameter 'camra'"},
  };
  for (const Case& c : cases) {
    auto r = ParseSnapshotListQuery(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.query << " -> " << r.status().message();
  }
}

TEST(CameraNameTest, Charset) {
  EXPECT_TRUE(IsValidCameraName("Front-door_2"));
  EXPECT_FALSE(IsValidCameraName(""));
  EXPECT_FALSE(IsValidCameraName(std::string(65, 'a')));
  EXPECT_FALSE(IsValidCameraName("a b"));
  EXPECT_FALSE(IsValidCameraName(".."));
}

TEST(RouteTableTest, AllowlistIsSmallAndUnknownIsProtected) {
  EXPECT_TRUE(ClassifyRoute("GET", "/api/health").is_public);
  EXPECT_TRUE(ClassifyRoute("GET", "/login").is_public);
  EXPECT_TRUE(ClassifyRoute("POST", "/api/login").is_public);
  EXPECT_TRUE(ClassifyRoute("GET", "/assets/app.js").is_public);
  EXPECT_FALSE(ClassifyRoute("GET", "/assets/../api/cameras").is_public);
  EXPECT_FALSE(ClassifyRoute("GET", "/").is_public);
  EXPECT_TRUE(ClassifyRoute("GET", "/").is_page);
  EXPECT_FALSE(ClassifyRoute("GET", "/metrics").is_public);
  EXPECT_FALSE(ClassifyRoute("GET", "/api/snapshots/1/image").is_public);
  EXPECT_FALSE(ClassifyRoute("DELETE", "/api/health").is_public);
  EXPECT_FALSE(ClassifyRoute("GET", "/nope").is_public);
  EXPECT_EQ(ClassifyRoute("GET", "/api/snapshots/77").name,
            "/api/snapshots/{id}");
  EXPECT_EQ(ClassifyRoute("HEAD", "/api/snapshots/77/thumbnail").name,
            "/api/snapshots/{id}/thumbnail");
  EXPECT_EQ(ClassifyRoute("POST", "/api/cameras/x/snap").name,
            "/api/cameras/{name}/snap");
  EXPECT_EQ(ClassifyRoute("GET", "").name, "unmatched");
}

}  // namespace
}  // namespace vigil::web
