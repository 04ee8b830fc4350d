// SPDX-License-Identifier: Apache-2.0
// Test-side HTTP helpers: an httplib client that logs in, and a raw socket
// request for paths an HTTP client library would normalize or refuse.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace vigil::web::testing {

class ApiClient {
 public:
  explicit ApiClient(int port);

  // Logs in with `password`; returns the HTTP status. On success the session
  // cookie and CSRF token are kept for later calls.
  int Login(const std::string& password);
  // Requests with the session cookie (if any) and `extra` headers.
  httplib::Result Get(const std::string& path, httplib::Headers extra = {});
  httplib::Result Post(const std::string& path, const std::string& body,
                       httplib::Headers extra = {});
  // Adds the X-CSRF-Token header from the login.
  httplib::Headers Csrf() const;

  const std::string& cookie() const { return cookie_; }
  httplib::Client& raw() { return client_; }

 private:
  httplib::Headers WithCookie(httplib::Headers extra) const;

  int port_;
  httplib::Client client_;
  std::string cookie_;      // "vigil_session=..."
  std::string csrf_token_;
};

// Sends `request` bytes verbatim and returns the status code of the reply
// (0 if none). `request` must end with the blank line.
int RawStatus(int port, const std::string& request);

// Returns the JSON body or a null json when it does not parse.
nlohmann::json Json(const httplib::Result& r);

}  // namespace vigil::web::testing
