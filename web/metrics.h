// SPDX-License-Identifier: Apache-2.0
// Prometheus text exposition (format 0.0.4) for GET /metrics: HTTP request
// counts and latency per route, plus camera and store gauges/counters.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "capture/scheduler.h"
#include "store/snapshot_store.h"

namespace vigil::web {

// Upper bounds (seconds) of the latency histogram buckets.
inline constexpr std::array<double, 10> kLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0};

// Thread-safe.
class RequestMetrics {
 public:
  // Counts one request under its route name (see route_table.h).
  void Record(std::string_view route, std::string_view method, int status,
              double seconds);
  void RecordException() { exceptions_.fetch_add(1); }
  void RecordLoginFailure() { login_failures_.fetch_add(1); }
  void RecordRateLimited() { rate_limited_.fetch_add(1); }
  // Appends the vigil_http_* families.
  void Render(std::string& out) const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  // (route, method, status) -> count
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::atomic<uint64_t> exceptions_{0};
  std::atomic<uint64_t> login_failures_{0};
  std::atomic<uint64_t> rate_limited_{0};
};

// Appends vigil_camera_* families (captures, failures, online, ...).
void RenderCameraMetrics(const std::vector<capture::CameraStatus>& statuses,
                         std::string& out);
// Appends vigil_store_* families (snapshots and bytes, total and per camera).
void RenderStoreMetrics(const store::StoreStats& stats, std::string& out);
// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabel(std::string_view value);

}  // namespace vigil::web
