// SPDX-License-Identifier: Apache-2.0
// The local web server: gallery (embedded assets), JSON API, login, metrics.
// Built on cpp-httplib; listens on 127.0.0.1 unless configured otherwise.
//
// Auth: every route needs a session cookie or `Authorization: Bearer <token>`
// except GET /api/health, the login page, POST /api/login and static assets.
// GET /metrics needs auth too (Prometheus: `authorization: {credentials: ..}`
// with one of `api_tokens`). State-changing requests with a session cookie
// also need a same-origin Origin/Referer or the `X-CSRF-Token` header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::store {
class SnapshotStore;
}  // namespace vigil::store
namespace vigil::capture {
class Scheduler;
}  // namespace vigil::capture
namespace vigil::alerts {
class EventBus;
}  // namespace vigil::alerts
namespace vigil::store {
class Outbox;
class ReportIndex;
}  // namespace vigil::store

namespace vigil::web {

struct WebOptions {
  std::string bind_address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; see `WebServer::port()`
  // `HashPassword` result (never the plain password). Required.
  std::string password_hash;
  // Bearer tokens for scripts and Prometheus (plain, from config/env; each
  // at least 16 chars). Registered with log::RegisterSecret.
  std::vector<std::string> api_tokens;
  int session_lifetime_s = 7 * 24 * 3600;  // absolute expiry of a login
  bool secure_cookie = false;  // add `Secure` (set when behind TLS)
  int threads = 8;             // request worker threads
  size_t max_body_bytes = 64 * 1024;  // JSON bodies are tiny
  int read_timeout_s = 10;
  int write_timeout_s = 30;
  // Login rate limit per client IP: after `login_max_failures` failures in
  // `login_window_s`, further attempts get 429 until the window passes.
  int login_max_failures = 5;
  int login_window_s = 300;
};

// Returns kInvalidArgument naming the field ("web.port: must be in
// [0, 65535], got 70000"); checks the password hash format and token length.
Status Validate(const WebOptions& options);

// Optional live parts (issue 6): without `events`, GET /api/events answers
// 503; without `alerts`, GET /api/alerts lists nothing. Both must outlive
// the server.
struct LiveSources {
  alerts::EventBus* events = nullptr;
  store::Outbox* alerts = nullptr;
  int max_event_streams = 4;  // each open stream holds one worker thread
  // Analysis (issue 6): without `reports`, /api/search answers 503; the
  // worker's status JSON and on-demand requests come from the app.
  store::ReportIndex* reports = nullptr;
  std::function<std::string()> analysis_status;
  std::function<Status(int64_t snapshot_id)> analyze_snapshot;
};

// Thread-safe: Start/Stop from one owner thread; handlers run on the pool.
// `store` and `scheduler` must outlive the server.
class WebServer {
 public:
  WebServer(WebOptions options, store::SnapshotStore& store,
            capture::Scheduler& scheduler, LiveSources live = {});
  ~WebServer();  // calls Stop()
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Validates options, binds and starts serving on a background thread;
  // returns once the socket is listening. kIo if the address/port cannot be
  // bound, kInvalidArgument for bad options or if already started.
  Status Start();
  // Stops accepting, finishes in-flight requests and joins. Idempotent.
  void Stop();
  // Returns the bound port (useful with `port = 0`), or 0 before Start().
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::web
