// SPDX-License-Identifier: Apache-2.0
// Prometheus text rendering. Label values are escaped per the exposition
// format; route labels come from route_table.h so cardinality stays bounded.
#include "web/metrics.h"

#include <cstdio>

namespace vigil::web {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

void Header(std::string& out, const char* name, const char* type,
            const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void Line(std::string& out, std::string_view name, std::string_view labels,
          const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string CameraLabel(const std::string& camera) {
  return "camera=\"" + EscapeLabel(camera) + "\"";
}

}  // namespace

std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void RequestMetrics::Record(std::string_view route, std::string_view method,
                            int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  Histogram& h = latency_[std::string(route)];
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void RequestMetrics::Render(std::string& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  Header(out, "vigil_http_requests_total", "counter",
         "HTTP requests by route, method and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    Line(out, "vigil_http_requests_total",
         "route=\"" + EscapeLabel(route) + "\",method=\"" +
             EscapeLabel(method) + "\",status=\"" + std::to_string(status) +
             "\"",
         std::to_string(count));
  }
  Header(out, "vigil_http_request_duration_seconds", "histogram",
         "Time from request parsed to response ready, by route.");
  for (const auto& [route, h] : latency_) {
    const std::string r = "route=\"" + EscapeLabel(route) + "\"";
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      Line(out, "vigil_http_request_duration_seconds_bucket",
           r + ",le=\"" + Num(kLatencyBuckets[i]) + "\"",
           std::to_string(h.buckets[i]));
    }
    Line(out, "vigil_http_request_duration_seconds_bucket", r + ",le=\"+Inf\"",
         std::to_string(h.count));
    Line(out, "vigil_http_request_duration_seconds_sum", r, Num(h.sum));
    Line(out, "vigil_http_request_duration_seconds_count", r,
         std::to_string(h.count));
  }
  Header(out, "vigil_http_exceptions_total", "counter",
         "Handler exceptions answered with 500.");
  Line(out, "vigil_http_exceptions_total", "", std::to_string(exceptions_));
  Header(out, "vigil_login_failures_total", "counter",
         "Failed login attempts.");
  Line(out, "vigil_login_failures_total", "", std::to_string(login_failures_));
  Header(out, "vigil_login_rate_limited_total", "counter",
         "Login attempts refused by the per-IP rate limit.");
  Line(out, "vigil_login_rate_limited_total", "",
       std::to_string(rate_limited_));
}

void RenderCameraMetrics(const std::vector<capture::CameraStatus>& statuses,
                         std::string& out) {
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    double (*get)(const capture::CameraStatus&);
  };
  static const Family kFamilies[] = {
      {"vigil_captures_total", "counter", "Images captured and stored.",
       [](const capture::CameraStatus& s) { return double(s.captures_total); }},
      {"vigil_capture_failures_total", "counter", "Failed capture attempts.",
       [](const capture::CameraStatus& s) { return double(s.failures_total); }},
      {"vigil_camera_online", "gauge", "1 if the last attempt succeeded.",
       [](const capture::CameraStatus& s) { return s.online ? 1.0 : 0.0; }},
      {"vigil_camera_enabled", "gauge", "1 if the camera is enabled.",
       [](const capture::CameraStatus& s) { return s.enabled ? 1.0 : 0.0; }},
      {"vigil_camera_consecutive_failures", "gauge",
       "Failures since the last success.",
       [](const capture::CameraStatus& s) {
         return double(s.consecutive_failures);
       }},
  };
  for (const Family& f : kFamilies) {
    Header(out, f.name, f.type, f.help);
    for (const capture::CameraStatus& s : statuses) {
      Line(out, f.name, CameraLabel(s.name), Num(f.get(s)));
    }
  }
}

void RenderStoreMetrics(const store::StoreStats& stats, std::string& out) {
  // Totals get their own families so sum() over per-camera series is exact.
  Header(out, "vigil_store_total_snapshots", "gauge",
         "Indexed snapshots, all cameras.");
  Line(out, "vigil_store_total_snapshots", "", std::to_string(stats.count));
  Header(out, "vigil_store_total_bytes", "gauge",
         "Bytes of snapshot JPEGs, all cameras.");
  Line(out, "vigil_store_total_bytes", "", std::to_string(stats.bytes));
  struct Family {
    const char* name;
    const char* help;
    int64_t store::CameraStats::*field;
  };
  static const Family kFamilies[] = {
      {"vigil_store_snapshots", "Indexed snapshots per camera.",
       &store::CameraStats::count},
      {"vigil_store_bytes", "Bytes of snapshot JPEGs per camera.",
       &store::CameraStats::bytes},
      {"vigil_store_kept_snapshots", "Snapshots marked kept per camera.",
       &store::CameraStats::kept_count},
  };
  for (const Family& f : kFamilies) {
    Header(out, f.name, "gauge", f.help);
    for (const store::CameraStats& c : stats.cameras) {
      Line(out, f.name, CameraLabel(c.camera), std::to_string(c.*f.field));
    }
  }
}

}  // namespace vigil::web
