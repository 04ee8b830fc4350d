// SPDX-License-Identifier: Apache-2.0
#include "tests/deploy/hub_server.h"

#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace vigil::model_pull {

std::string Sha256Hex(const std::string& data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : md) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

HubServer::HubServer() {
  server_.Get(R"(/.*)", [this](const httplib::Request& req,
                               httplib::Response& res) { Serve(req, res); });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HubServer::~HubServer() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

void HubServer::AddFile(const std::string& repo, const std::string& file,
                        const std::string& content, std::string sha256) {
  (void)repo;  // the redirect handler checks the repo in the path
  std::lock_guard<std::mutex> lock(mu_);
  files_[repo + "/resolve/main/" + file] =
      File{content, sha256 == "*" ? Sha256Hex(content) : sha256};
}

void HubServer::CutNextDownloadAfter(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  cut_after_ = bytes;
}

std::string HubServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> HubServer::range_headers() {
  std::lock_guard<std::mutex> lock(mu_);
  return ranges_;
}

int HubServer::body_gets() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(ranges_.size());
}

void HubServer::Serve(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool cdn = req.path.rfind("/cdn/", 0) == 0;
  const std::string key = req.path.substr(cdn ? 5 : 1);
  auto it = files_.find(key);
  if (it == files_.end()) {
    res.status = 404;
    res.set_content("Entry not found", "text/plain");
    return;
  }
  if (!cdn) {  // the hub: metadata + redirect to the storage backend
    if (!it->second.sha256.empty()) {
      res.set_header("X-Linked-Etag", "\"" + it->second.sha256 + "\"");
    }
    res.set_header("X-Linked-Size", std::to_string(it->second.content.size()));
    res.set_redirect("/cdn/" + key, 302);
    return;
  }
  if (req.method != "GET") return;  // HEAD of a CDN object
  ranges_.push_back(req.get_header_value("Range"));
  const std::string content = it->second.content;
  int64_t cut = std::exchange(cut_after_, -1);
  if (cut < 0) {
    res.set_content(content, "application/octet-stream");  // httplib: Range
    return;
  }
  // Announce the whole file, send `cut` bytes, then drop the connection.
  res.set_content_provider(
      content.size(), "application/octet-stream",
      [content, cut](size_t offset, size_t length, httplib::DataSink& sink) {
        if (static_cast<int64_t>(offset) >= cut) return false;
        size_t n = std::min<size_t>(length, static_cast<size_t>(cut) - offset);
        sink.write(content.data() + offset, n);
        return true;
      });
}

}  // namespace vigil::model_pull
