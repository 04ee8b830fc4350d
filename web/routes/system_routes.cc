// SPDX-License-Identifier: Apache-2.0
// Liveness (no auth, no details) and Prometheus metrics (auth required).
#include <string>

#include "web/http_util.h"
#include "web/routes/routes.h"

namespace vigil::web {

void AddSystemRoutes(httplib::Server& server, RouteContext& ctx) {
  // Health says only that the process serves requests: it is public, so it
  // must not reveal camera names or errors.
  server.Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}});
  });
  server.Get("/metrics", [&ctx](const httplib::Request&,
                                httplib::Response& res) {
    std::string out;
    out.reserve(8192);
    ctx.metrics.Render(out);
    RenderCameraMetrics(ctx.scheduler.Statuses(), out);
    RenderStoreMetrics(ctx.store.Stats(), out);
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(out, "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace vigil::web
