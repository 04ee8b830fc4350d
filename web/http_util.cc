// SPDX-License-Identifier: Apache-2.0
// Response helpers shared by every route file.
#include "web/http_util.h"

#include "web/api_json.h"

namespace vigil::web {

void SendJson(httplib::Response& res, int status, const nlohmann::json& v) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(DumpJson(v), "application/json");
}

void SendError(httplib::Response& res, int status, std::string_view code,
               std::string_view message) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(ErrorJson(code, message), "application/json");
}

void SendStatus(httplib::Response& res, const Status& status) {
  int http = 500;
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      http = 400;
      break;
    case StatusCode::kNotFound:
      http = 404;
      break;
    case StatusCode::kUnauthenticated:
      http = 401;
      break;
    case StatusCode::kUnavailable:
      http = 503;
      break;
    case StatusCode::kCorrupt:
    case StatusCode::kUnsupported:
      http = 502;
      break;
    default:
      http = 500;
  }
  SendError(res, http, StatusCodeName(status.code()), status.message());
}

std::optional<std::string> GetCookie(const httplib::Request& req,
                                     std::string_view name) {
  const size_t n = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < n; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::string_view rest = header;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? "" : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string ClientAddress(const httplib::Request& req) {
  // No X-Forwarded-For: a reverse proxy would make every client one address,
  // which only makes the limit stricter; trusting the header would let any
  // client dodge it.
  return req.remote_addr;
}

bool IsSameOrigin(const httplib::Request& req, bool& present) {
  const std::string host = req.get_header_value("Host");
  present = false;
  if (req.has_header("Origin")) {
    present = true;
    const std::string origin = req.get_header_value("Origin");
    return !host.empty() &&
           (origin == "http://" + host || origin == "https://" + host);
  }
  if (req.has_header("Referer")) {
    present = true;
    const std::string referer = req.get_header_value("Referer");
    return !host.empty() && (referer.starts_with("http://" + host + "/") ||
                             referer.starts_with("https://" + host + "/"));
  }
  return false;
}

}  // namespace vigil::web
