// SPDX-License-Identifier: Apache-2.0
// Authentication and CSRF decisions (OWASP: cookie sessions need an
// origin check or a token on state-changing requests; bearer tokens do not,
// since browsers never attach them on their own).
#include "web/access.h"

#include "web/auth.h"
#include "web/http_util.h"

namespace vigil::web {
namespace {

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

AccessControl::Decision Deny(int status, std::string code,
                             std::string message) {
  AccessControl::Decision d;
  d.status = status;
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

}  // namespace

AccessControl::AccessControl(const std::vector<std::string>& api_tokens,
                             SessionStore& sessions)
    : sessions_(sessions) {
  for (const std::string& t : api_tokens) token_digests_.push_back(Sha256Hex(t));
}

bool AccessControl::TokenValid(const std::string& token) const {
  const std::string digest = Sha256Hex(token);
  bool match = false;
  for (const std::string& d : token_digests_) {
    match |= ConstantTimeEquals(digest, d);  // no early exit
  }
  return match;
}

AccessControl::Decision AccessControl::CheckCsrf(const httplib::Request& req,
                                                 Decision d) const {
  bool present = false;
  const bool same = IsSameOrigin(req, present);
  if (present && !same) {
    return Deny(403, "Forbidden", "cross-origin request refused");
  }
  const std::string header = req.get_header_value(std::string(kCsrfHeader));
  const bool token_ok =
      d.session && !header.empty() &&
      ConstantTimeEquals(header, d.session->csrf_token);
  if (!token_ok && !same) {
    return Deny(403, "Forbidden",
                "state-changing request needs a same-origin Origin/Referer "
                "or the X-CSRF-Token header");
  }
  return d;
}

AccessControl::Decision AccessControl::Check(const httplib::Request& req,
                                             const RouteInfo& route,
                                             SteadyTime now) const {
  Decision d;
  if (req.has_header("Authorization")) {
    const std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!auth.starts_with(kBearer) ||
        !TokenValid(auth.substr(kBearer.size()))) {
      return Deny(401, "Unauthenticated", "invalid API token");
    }
    d.allowed = true;
    return d;
  }
  if (std::optional<std::string> sid = GetCookie(req, kSessionCookie)) {
    d.session = sessions_.Find(*sid, now);
  }
  if (route.is_public) {
    d.allowed = true;
    // Login CSRF: a foreign page must not log the browser in.
    if (IsStateChanging(req.method)) {
      bool present = false;
      if (!IsSameOrigin(req, present) && present) {
        return Deny(403, "Forbidden", "cross-origin request refused");
      }
    }
    return d;
  }
  if (!d.session) {
    Decision denied = Deny(401, "Unauthenticated",
                           "log in first (POST /api/login) or send "
                           "'Authorization: Bearer <token>'");
    denied.redirect_to_login = route.is_page;
    return denied;
  }
  d.allowed = true;
  return IsStateChanging(req.method) ? CheckCsrf(req, std::move(d)) : d;
}

}  // namespace vigil::web
