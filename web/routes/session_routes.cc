// SPDX-License-Identifier: Apache-2.0
// Login, logout and the session probe the gallery uses for its CSRF token.
#include <chrono>
#include <string>

#include "common/log.h"
#include "web/api_json.h"
#include "web/auth.h"
#include "web/http_util.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

std::string SessionCookie(const RouteContext& ctx, const std::string& value,
                          int max_age_s) {
  std::string cookie = std::string(kSessionCookie) + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(max_age_s);
  if (ctx.options.secure_cookie) cookie += "; Secure";
  return cookie;
}

void HandleLogin(RouteContext& ctx, const httplib::Request& req,
                 httplib::Response& res) {
  const auto now = std::chrono::steady_clock::now();
  const std::string client = ClientAddress(req);
  if (auto wait = ctx.login_limiter.RetryAfter(client, now)) {
    ctx.metrics.RecordRateLimited();
    res.set_header("Retry-After", std::to_string(wait->count()));
    SendError(res, 429, "RateLimited",
              "too many failed logins; retry in " +
                  std::to_string(wait->count()) + " s");
    return;
  }
  Result<std::string> password = ParseLoginBody(req.body);
  if (!password.ok()) {
    SendError(res, 400, "InvalidBody", password.status().message());
    return;
  }
  if (!VerifyPassword(*password, ctx.options.password_hash)) {
    ctx.login_limiter.RecordFailure(client, now);
    ctx.metrics.RecordLoginFailure();
    log::Warn("web", "failed login from " + client);
    SendError(res, 401, "Unauthenticated", "wrong password");
    return;
  }
  ctx.login_limiter.RecordSuccess(client);
  const Session session = ctx.sessions.Create(now);
  res.set_header("Set-Cookie",
                 SessionCookie(ctx, session.id, ctx.options.session_lifetime_s));
  log::Info("web", "login from " + client);
  SendJson(res, 200,
           {{"ok", true},
            {"csrf_token", session.csrf_token},
            {"expires_in_s", ctx.options.session_lifetime_s}});
}

}  // namespace

void AddSessionRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Post("/api/login",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandleLogin(ctx, req, res);
              });
  server.Post("/api/logout",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                if (auto sid = GetCookie(req, kSessionCookie)) {
                  ctx.sessions.Remove(*sid);
                }
                res.set_header("Set-Cookie", SessionCookie(ctx, "", 0));
                SendJson(res, 200, {{"ok", true}});
              });
  server.Get("/api/session",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               std::optional<Session> session;
               if (auto sid = GetCookie(req, kSessionCookie)) {
                 session =
                     ctx.sessions.Find(*sid, std::chrono::steady_clock::now());
               }
               nlohmann::json body{{"authenticated", true},
                                   {"via", session ? "session" : "token"}};
               if (session) body["csrf_token"] = session->csrf_token;
               SendJson(res, 200, body);
             });
}

}  // namespace vigil::web
