// SPDX-License-Identifier: Apache-2.0
// cpp-httplib setup: limits, thread pool, the access check before routing,
// JSON error bodies, the last-line exception handler and request metrics.
#include "web/server.h"

#include <chrono>
#include <exception>
#include <thread>

#include "common/log.h"
#include "web/access.h"
#include "web/auth.h"
#include "web/http_util.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

using Clock = std::chrono::steady_clock;

// Start time of the request this worker thread is handling (set before
// routing, read after it by the post-routing hook).
thread_local std::optional<Clock::time_point> t_request_start;

const char* ErrorCodeFor(int status) {
  switch (status) {
    case 400: return "BadRequest";
    case 401: return "Unauthenticated";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 413: return "PayloadTooLarge";
    case 414: return "UriTooLong";
    case 416: return "RangeNotSatisfiable";
    default: return status >= 500 ? "Internal" : "Error";
  }
}

Status CheckRange(const char* field, long value, long lo, long hi) {
  if (value < lo || value > hi) {
    return InvalidArgument("web." + std::string(field) + ": must be in [" +
                           std::to_string(lo) + ", " + std::to_string(hi) +
                           "], got " + std::to_string(value));
  }
  return OkStatus();
}

}  // namespace

Status Validate(const WebOptions& o) {
  if (o.bind_address.empty()) {
    return InvalidArgument("web.bind_address: must not be empty");
  }
  VIGIL_RETURN_IF_ERROR(CheckRange("port", o.port, 0, 65535));
  VIGIL_RETURN_IF_ERROR(CheckRange("threads", o.threads, 1, 256));
  VIGIL_RETURN_IF_ERROR(
      CheckRange("session_lifetime_s", o.session_lifetime_s, 60, 366 * 86400));
  VIGIL_RETURN_IF_ERROR(CheckRange("read_timeout_s", o.read_timeout_s, 1, 600));
  VIGIL_RETURN_IF_ERROR(
      CheckRange("write_timeout_s", o.write_timeout_s, 1, 600));
  VIGIL_RETURN_IF_ERROR(
      CheckRange("login_max_failures", o.login_max_failures, 1, 1000));
  VIGIL_RETURN_IF_ERROR(
      CheckRange("login_window_s", o.login_window_s, 1, 86400));
  if (o.max_body_bytes < 1024 || o.max_body_bytes > (16u << 20)) {
    return InvalidArgument("web.max_body_bytes: must be in [1024, 16 MiB], "
                           "got " + std::to_string(o.max_body_bytes));
  }
  if (Status s = ValidatePasswordHash(o.password_hash); !s.ok()) {
    return s.WithContext("web.password_hash");
  }
  for (size_t i = 0; i < o.api_tokens.size(); ++i) {
    const std::string& t = o.api_tokens[i];
    bool printable = true;
    for (char c : t) printable &= c > ' ' && c < 127;
    if (t.size() < 16 || t.size() > 256 || !printable) {
      return InvalidArgument("web.api_tokens[" + std::to_string(i) +
                             "]: must be 16-256 printable characters "
                             "without spaces (got " +
                             std::to_string(t.size()) + " chars)");
    }
  }
  return OkStatus();
}

struct WebServer::Impl {
  Impl(WebOptions opts, store::SnapshotStore& store,
       capture::Scheduler& scheduler, LiveSources live_sources)
      : options(std::move(opts)),
        live(live_sources),
        sessions(std::chrono::seconds(options.session_lifetime_s)),
        limiter(options.login_max_failures,
                std::chrono::seconds(options.login_window_s)),
        access(options.api_tokens, sessions),
        ctx{options, store, scheduler, sessions, limiter, metrics, live} {}

  void Configure();
  void InstallHooks();

  WebOptions options;
  LiveSources live;
  SessionStore sessions;
  LoginLimiter limiter;
  RequestMetrics metrics;
  AccessControl access;
  RouteContext ctx;
  httplib::Server server;
  std::thread thread;
  bool configured = false;  // routes registered; httplib can't redo it
  bool started = false;
  int port = 0;
};

void WebServer::Impl::Configure() {
  const size_t threads = static_cast<size_t>(options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_read_timeout(options.read_timeout_s, 0);
  server.set_write_timeout(options.write_timeout_s, 0);
  server.set_keep_alive_timeout(5);
  server.set_keep_alive_max_count(100);
  // Headers and body go out in separate writes; without this, Nagle plus
  // the client's delayed ACK adds ~40 ms to every keep-alive response.
  server.set_tcp_nodelay(true);
  server.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'"},
  });
  AddPageRoutes(server, ctx);
  AddSessionRoutes(server, ctx);
  AddSnapshotRoutes(server, ctx);
  AddCameraRoutes(server, ctx);
  AddSystemRoutes(server, ctx);
  AddEventRoutes(server, ctx);
  AddAlertRoutes(server, ctx);
  AddAnalysisRoutes(server, ctx);
  InstallHooks();
}

void WebServer::Impl::InstallHooks() {
  server.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        const auto now = Clock::now();
        t_request_start = now;
        const RouteInfo route = ClassifyRoute(req.method, req.path);
        const AccessControl::Decision d = access.Check(req, route, now);
        if (d.allowed) return httplib::Server::HandlerResponse::Unhandled;
        if (d.redirect_to_login) {
          res.set_redirect("/login");
        } else {
          SendError(res, d.status, d.code, d.message);
        }
        return httplib::Server::HandlerResponse::Handled;
      });
  // Gives httplib's own errors (404, 413, 400 for bad request lines) the
  // same JSON shape as ours; responses that already have a body pass.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        SendError(res, res.status, ErrorCodeFor(res.status),
                  res.status == 404 ? "no such resource" : "request refused");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([this](const httplib::Request& req,
                                      httplib::Response& res,
                                      std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    metrics.RecordException();
    log::Error("web", req.method + " " +
                          std::string(ClassifyRoute(req.method, req.path).name) +
                          ": handler threw: " + what);
    SendError(res, 500, "Internal", "internal error (see the server log)");
  });
  // Runs after routing and error handling but before the response is
  // written, so a client that reads /metrics next always sees its request.
  server.set_post_routing_handler([this](const httplib::Request& req,
                                         httplib::Response& res) {
    double seconds = 0;
    if (t_request_start) {
      seconds = std::chrono::duration<double>(Clock::now() - *t_request_start)
                    .count();
      t_request_start.reset();
    }
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    const std::string_view known =
        method == "GET" || method == "POST" ? std::string_view(method)
                                            : std::string_view("other");
    metrics.Record(ClassifyRoute(req.method, req.path).name, known, res.status,
                   seconds);
  });
}

WebServer::WebServer(WebOptions options, store::SnapshotStore& store,
                     capture::Scheduler& scheduler, LiveSources live)
    : impl_(std::make_unique<Impl>(std::move(options), store, scheduler,
                                   live)) {}

WebServer::~WebServer() { Stop(); }

Status WebServer::Start() {
  if (impl_->configured) {
    return InvalidArgument("web server already started (a stopped server "
                           "cannot be restarted; make a new one)");
  }
  VIGIL_RETURN_IF_ERROR(Validate(impl_->options));
  for (const std::string& t : impl_->options.api_tokens) {
    log::RegisterSecret(t);
  }
  impl_->Configure();
  impl_->configured = true;
  const WebOptions& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.bind_address);
  } else if (!impl_->server.bind_to_port(o.bind_address, port)) {
    port = -1;
  }
  if (port <= 0) {
    return IoError("web: cannot listen on " + o.bind_address + ":" +
                   std::to_string(o.port) +
                   " (address in use or not local?); set web.port / "
                   "web.bind_address");
  }
  impl_->started = true;
  impl_->port = port;
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  // stop() before the accept loop runs would be lost; wait for it.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!impl_->server.is_running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!impl_->server.is_running()) {
    Stop();
    return IoError("web: accept loop did not start on port " +
                   std::to_string(port));
  }
  log::Info("web", "listening on http://" + o.bind_address + ":" +
                       std::to_string(port));
  return OkStatus();
}

void WebServer::Stop() {
  if (!impl_->started) return;
  impl_->ctx.stopping = true;  // open event streams end within a second
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->started = false;
}

int WebServer::port() const { return impl_->port; }

}  // namespace vigil::web
