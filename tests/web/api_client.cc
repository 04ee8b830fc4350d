// SPDX-License-Identifier: Apache-2.0
#include "tests/web/api_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::web::testing {

ApiClient::ApiClient(int port) : port_(port), client_("127.0.0.1", port) {
  client_.set_read_timeout(30, 0);
}

int ApiClient::Login(const std::string& password) {
  nlohmann::json body{{"password", password}};
  auto r = client_.Post("/api/login", body.dump(), "application/json");
  if (!r) return 0;
  if (r->status == 200) {
    const std::string set = r->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
    csrf_token_ = nlohmann::json::parse(r->body).value("csrf_token", "");
  }
  return r->status;
}

httplib::Headers ApiClient::WithCookie(httplib::Headers extra) const {
  if (!cookie_.empty()) extra.emplace("Cookie", cookie_);
  return extra;
}

httplib::Result ApiClient::Get(const std::string& path,
                               httplib::Headers extra) {
  return client_.Get(path, WithCookie(std::move(extra)));
}

httplib::Result ApiClient::Post(const std::string& path,
                                const std::string& body,
                                httplib::Headers extra) {
  return client_.Post(path, WithCookie(std::move(extra)), body,
                      "application/json");
}

httplib::Headers ApiClient::Csrf() const {
  return {{"X-CSRF-Token", csrf_token_}};
}

int RawStatus(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int status = 0;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, request.data(), request.size(), 0) ==
          static_cast<ssize_t>(request.size())) {
    char buf[64] = {};
    const ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
    // "HTTP/1.1 404 Not Found"
    if (n > 12) status = std::atoi(buf + 9);
  }
  close(fd);
  return status;
}

nlohmann::json Json(const httplib::Result& r) {
  if (!r) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

}  // namespace vigil::web::testing
