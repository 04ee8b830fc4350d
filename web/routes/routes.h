// SPDX-License-Identifier: Apache-2.0
// Route registration, one function per resource file. Access control has
// already run (access.cc) when a handler is called.
#pragma once

#include <httplib.h>

#include <atomic>

#include "capture/scheduler.h"
#include "store/snapshot_store.h"
#include "web/metrics.h"
#include "web/server.h"
#include "web/sessions.h"

namespace vigil::web {

// Everything handlers share; owned by WebServer::Impl, outlives the server.
struct RouteContext {
  const WebOptions& options;
  store::SnapshotStore& store;
  capture::Scheduler& scheduler;
  SessionStore& sessions;
  LoginLimiter& login_limiter;
  RequestMetrics& metrics;
  const LiveSources& live;
  std::atomic<int> event_streams{0};  // open /api/events streams
  std::atomic<bool> stopping{false};  // set by WebServer::Stop
};

// GET /, GET /login, GET /assets/<file>, GET /favicon.svg.
void AddPageRoutes(httplib::Server& server, RouteContext& ctx);
// POST /api/login, POST /api/logout, GET /api/session.
void AddSessionRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/snapshots[/{id}[/image|/thumbnail]], POST /api/snapshots/{id}/keep.
void AddSnapshotRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/cameras, POST /api/cameras/{name}/snap.
void AddCameraRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/health, GET /metrics.
void AddSystemRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/events (Server-Sent Events: snapshot, report, alert, camera).
void AddEventRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/alerts (the alerts timeline, newest first).
void AddAlertRoutes(httplib::Server& server, RouteContext& ctx);
// GET /api/search, GET /api/analysis/status, GET /api/snapshots/{id}/report,
// POST /api/snapshots/{id}/analyze (routes/analysis_routes.cc).
void AddAnalysisRoutes(httplib::Server& server, RouteContext& ctx);

}  // namespace vigil::web
