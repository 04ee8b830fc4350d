// SPDX-License-Identifier: Apache-2.0
// A local stand-in for the Hugging Face hub, started by each test: `resolve/`
// URLs answer 302 to `/cdn/<file>` with X-Linked-Etag (sha256) and
// X-Linked-Size like the real hub; `/cdn/` serves bytes with Range support.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil::model_pull {

class HubServer {
 public:
  HubServer();
  ~HubServer();

  // Serves `content` as `<repo>/resolve/main/<file>`; advertises `sha256`
  // (the real digest unless overridden; empty: no X-Linked-Etag).
  void AddFile(const std::string& repo, const std::string& file,
               const std::string& content, std::string sha256 = "*");
  // The next GET of a file body sends only `bytes` bytes, then drops the
  // connection (an interrupted download).
  void CutNextDownloadAfter(int64_t bytes);

  std::string base_url() const;
  int port() const { return port_; }
  std::vector<std::string> range_headers();  // one per body GET ("" = none)
  int body_gets();

 private:
  struct File {
    std::string content;
    std::string sha256;
  };
  void Serve(const httplib::Request& req, httplib::Response& res);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::map<std::string, File> files_;  // by file name
  std::vector<std::string> ranges_;
  int64_t cut_after_ = -1;
};

// Returns the lowercase hex SHA-256 of `data` (OpenSSL, independent of the
// code under test's file hashing).
std::string Sha256Hex(const std::string& data);

}  // namespace vigil::model_pull
