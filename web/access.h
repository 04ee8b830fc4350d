// SPDX-License-Identifier: Apache-2.0
// The access check run before routing on every request: session cookie or
// bearer token, CSRF/same-origin for state changes. One place, default-deny.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "web/route_table.h"
#include "web/sessions.h"

namespace vigil::web {

// Thread-safe (SessionStore locks; the token list is immutable).
class AccessControl {
 public:
  // `api_tokens` are plain; only their SHA-256 digests are kept.
  AccessControl(const std::vector<std::string>& api_tokens,
                SessionStore& sessions);

  struct Decision {
    bool allowed = false;
    int status = 401;          // when denied
    std::string code;          // "Unauthenticated", "Forbidden"
    std::string message;
    bool redirect_to_login = false;  // a page: answer 302 /login
    std::optional<Session> session;  // the caller's session, if any
  };

  // Decides whether `req` (classified as `route`) may proceed.
  Decision Check(const httplib::Request& req, const RouteInfo& route,
                 SteadyTime now) const;

 private:
  bool TokenValid(const std::string& token) const;
  Decision CheckCsrf(const httplib::Request& req, Decision decision) const;

  std::vector<std::string> token_digests_;
  SessionStore& sessions_;
};

}  // namespace vigil::web
