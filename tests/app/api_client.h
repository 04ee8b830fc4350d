// SPDX-License-Identifier: Apache-2.0
// A small httplib client for the running `vigil serve` in integration tests:
// login with the session cookie, bearer tokens, JSON decoding, paging.
#pragma once

#include <set>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace vigil::testing {

class ApiClient {
 public:
  explicit ApiClient(int port)
      : client_("127.0.0.1", port),
        origin_("http://127.0.0.1:" + std::to_string(port)) {
    client_.set_read_timeout(10, 0);
  }
  // Logs in with the gallery password; returns the HTTP status.
  int Login(const std::string& password) {
    auto res = client_.Post("/api/login",
                            nlohmann::json{{"password", password}}.dump(),
                            "application/json");
    if (!res) return -1;
    std::string cookie = res->get_header_value("Set-Cookie");
    cookie_ = cookie.substr(0, cookie.find(';'));
    return res->status;
  }
  void UseToken(const std::string& token) { token_ = token; }
  void Anonymous() { cookie_.clear(), token_.clear(); }

  httplib::Result Get(const std::string& path) {
    return client_.Get(path.c_str(), Headers());
  }
  httplib::Result Post(const std::string& path) {
    return client_.Post(path.c_str(), Headers(), "", "application/json");
  }
  // GETs `path` and parses the JSON body (null on any failure).
  nlohmann::json GetJson(const std::string& path) {
    auto res = Get(path);
    if (!res || res->status != 200) return nullptr;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
  // Follows next_cursor through every page of /api/snapshots?<query>.
  std::vector<nlohmann::json> AllSnapshots(const std::string& query = "") {
    std::vector<nlohmann::json> out;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
      std::string path = "/api/snapshots?limit=50" +
                         (query.empty() ? "" : "&" + query) +
                         (cursor.empty() ? "" : "&cursor=" + cursor);
      nlohmann::json j = GetJson(path);
      if (!j.is_object()) break;
      for (auto& item : j["items"]) out.push_back(item);
      if (!j["next_cursor"].is_string()) break;
      cursor = j["next_cursor"].get<std::string>();
    }
    return out;
  }

 private:
  httplib::Headers Headers() const {
    httplib::Headers h;
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
    // Browsers send Origin; the server checks it on state changes.
    h.emplace("Origin", origin_);
    return h;
  }

  httplib::Client client_;
  std::string origin_, cookie_, token_;
};

}  // namespace vigil::testing
