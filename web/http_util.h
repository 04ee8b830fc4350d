// SPDX-License-Identifier: Apache-2.0
// Small helpers over httplib requests/responses: JSON replies with stable
// error codes, Status -> HTTP mapping, cookies, client address.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace vigil::web {

inline constexpr std::string_view kSessionCookie = "vigil_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// Writes `value` as application/json with `status`.
void SendJson(httplib::Response& res, int status, const nlohmann::json& value);
// Writes {"code": code, "message": message} with `status`.
void SendError(httplib::Response& res, int status, std::string_view code,
               std::string_view message);
// Maps a non-OK Status to an HTTP status and its code name
// (kNotFound -> 404 "NotFound", kInvalidArgument -> 400, kUnavailable -> 503,
// kCorrupt -> 502 (a camera sent garbage), others -> 500).
void SendStatus(httplib::Response& res, const Status& status);
// Returns the value of cookie `name` from the Cookie header(s), if present.
std::optional<std::string> GetCookie(const httplib::Request& req,
                                     std::string_view name);
// Returns the peer address used for rate limiting.
std::string ClientAddress(const httplib::Request& req);
// Returns true when the request's Origin (or, without one, its Referer)
// names this server's own Host. `present` tells whether either header was
// there at all.
bool IsSameOrigin(const httplib::Request& req, bool& present);

}  // namespace vigil::web
