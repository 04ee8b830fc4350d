// SPDX-License-Identifier: Apache-2.0
// Route classification by path segments (no regex: runs on every request).
#include "web/route_table.h"

#include <vector>

namespace vigil::web {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // skip the leading '/'
  while (start <= path.size() && out.size() < 8) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

constexpr RouteInfo kUnmatched{"unmatched", false, false};

RouteInfo ClassifyGet(std::string_view path,
                      const std::vector<std::string_view>& s) {
  if (path == "/") return {"/", false, true};
  if (path == "/login") return {"/login", true, true};
  if (path == "/favicon.svg") return {"/assets", true, false};
  if (path.starts_with("/assets/") && s.size() == 2) {
    return {"/assets", true, false};
  }
  if (path == "/api/health") return {"/api/health", true, false};
  if (path == "/api/session") return {"/api/session", false, false};
  if (path == "/api/cameras") return {"/api/cameras", false, false};
  if (path == "/api/snapshots") return {"/api/snapshots", false, false};
  if (path == "/metrics") return {"/metrics", false, false};
  if (path == "/api/events") return {"/api/events", false, false};
  if (path == "/api/alerts") return {"/api/alerts", false, false};
  if (path == "/api/search") return {"/api/search", false, false};
  if (path == "/api/analysis/status") {
    return {"/api/analysis/status", false, false};
  }
  if (s.size() == 3 && s[0] == "api" && s[1] == "snapshots") {
    return {"/api/snapshots/{id}", false, false};
  }
  if (s.size() == 4 && s[0] == "api" && s[1] == "snapshots") {
    if (s[3] == "image") return {"/api/snapshots/{id}/image", false, false};
    if (s[3] == "thumbnail") {
      return {"/api/snapshots/{id}/thumbnail", false, false};
    }
    if (s[3] == "report") return {"/api/snapshots/{id}/report", false, false};
  }
  return kUnmatched;
}

RouteInfo ClassifyPost(std::string_view path,
                       const std::vector<std::string_view>& s) {
  if (path == "/api/login") return {"/api/login", true, false};
  if (path == "/api/logout") return {"/api/logout", false, false};
  if (s.size() == 4 && s[0] == "api" && s[1] == "cameras" && s[3] == "snap") {
    return {"/api/cameras/{name}/snap", false, false};
  }
  if (s.size() == 4 && s[0] == "api" && s[1] == "snapshots" &&
      s[3] == "keep") {
    return {"/api/snapshots/{id}/keep", false, false};
  }
  if (s.size() == 4 && s[0] == "api" && s[1] == "snapshots" &&
      s[3] == "analyze") {
    return {"/api/snapshots/{id}/analyze", false, false};
  }
  return kUnmatched;
}

}  // namespace

RouteInfo ClassifyRoute(std::string_view method, std::string_view path) {
  if (path.empty() || path[0] != '/') return kUnmatched;
  const std::vector<std::string_view> segments = Segments(path);
  if (method == "GET" || method == "HEAD") return ClassifyGet(path, segments);
  if (method == "POST") return ClassifyPost(path, segments);
  return kUnmatched;
}

}  // namespace vigil::web
