// SPDX-License-Identifier: Apache-2.0
// The one list of routes: which need no auth (an allowlist, so a new or
// unknown route is protected by default) and the low-cardinality name each
// request is counted under in /metrics.
#pragma once

#include <string_view>

namespace vigil::web {

struct RouteInfo {
  std::string_view name;   // e.g. "/api/snapshots/{id}", or "unmatched"
  bool is_public = false;  // served without a session or token
  bool is_page = false;    // an HTML page: redirect to /login, not 401
};

// Classifies a decoded request path for `method` (HEAD counts as GET).
RouteInfo ClassifyRoute(std::string_view method, std::string_view path);

}  // namespace vigil::web
