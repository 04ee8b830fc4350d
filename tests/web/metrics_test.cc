// SPDX-License-Identifier: Apache-2.0
// Prometheus rendering: escaping, histogram buckets, camera/store families.
#include "web/metrics.h"

#include <gtest/gtest.h>

namespace vigil::web {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  RequestMetrics m;
  m.Record("/api/snapshots", "GET", 200, 0.002);
  m.Record("/api/snapshots", "GET", 200, 0.2);
  m.Record("/api/snapshots", "GET", 400, 9.0);
  std::string out;
  m.Render(out);
  const std::string r = "vigil_http_request_duration_seconds_bucket{route=\"/api/snapshots\",";
  EXPECT_TRUE(Has(out, r + "le=\"0.001\"} 0"));
  EXPECT_TRUE(Has(out, r + "le=\"0.0025\"} 1"));
  EXPECT_TRUE(Has(out, r + "le=\"0.25\"} 2"));
  EXPECT_TRUE(Has(out, r + "le=\"5\"} 2"));
  EXPECT_TRUE(Has(out, r + "le=\"+Inf\"} 3"));
  EXPECT_TRUE(Has(out, "vigil_http_requests_total{route=\"/api/snapshots\","
                       "method=\"GET\",status=\"200\"} 2"));
  EXPECT_TRUE(Has(out, "vigil_http_exceptions_total 0"));
}

TEST(MetricsTest, CameraAndStoreFamilies) {
  capture::CameraStatus s;
  s.name = "porch\"1";
  s.online = true;
  s.captures_total = 7;
  s.failures_total = 2;
  std::string out;
  RenderCameraMetrics({s}, out);
  EXPECT_TRUE(Has(out, "vigil_captures_total{camera=\"porch\\\"1\"} 7"));
  EXPECT_TRUE(Has(out, "vigil_capture_failures_total{camera=\"porch\\\"1\"} 2"));
  EXPECT_TRUE(Has(out, "vigil_camera_online{camera=\"porch\\\"1\"} 1"));
  store::StoreStats stats;
  stats.count = 5;
  stats.bytes = 5000;
  stats.cameras.push_back({.camera = "a", .count = 5, .bytes = 5000,
                           .kept_count = 1});
  out.clear();
  RenderStoreMetrics(stats, out);
  EXPECT_TRUE(Has(out, "vigil_store_total_snapshots 5"));
  EXPECT_TRUE(Has(out, "vigil_store_total_bytes 5000"));
  EXPECT_TRUE(Has(out, "vigil_store_bytes{camera=\"a\"} 5000"));
  EXPECT_TRUE(Has(out, "vigil_store_kept_snapshots{camera=\"a\"} 1"));
  EXPECT_TRUE(Has(out, "# TYPE vigil_store_snapshots gauge"));
}

}  // namespace
}  // namespace vigil::web
