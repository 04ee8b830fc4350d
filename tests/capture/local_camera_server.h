// SPDX-License-Identifier: Apache-2.0
// A real HTTP "IP camera" for tests: cpp-httplib on 127.0.0.1 serving JPEGs
// behind Digest (RFC 7616, MD5, qop=auth) and Basic auth, plus the ways real
// cameras misbehave: corrupt JPEG, HTML, 401, 500, a hang, an MJPEG stream.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace vigil::capture::testing {

// Returns a real JPEG of a `w`x`h` gradient whose colour depends on `seed`.
std::vector<uint8_t> MakeJpeg(int w, int h, int seed = 0);

// Endpoints (all GET):
//   /digest.jpg  JPEG behind Digest auth     /basic.jpg   JPEG behind Basic
//   /open.jpg    JPEG, no auth               /corrupt.jpg truncated JPEG
//   /garbage.jpg JPEG magic then noise       /html        200 text/html page
//   /unauth      always 401                  /error       500
//   /hang        never answers until the server stops
//   /big.jpg     a JPEG of 2 MB              /octet.jpg   JPEG as octet-stream
//   /stream.mjpg multipart MJPEG with Content-Length per part (digest auth)
//   /stream-nolen.mjpg multipart MJPEG without part lengths (no auth)
//   /flaky.jpg   500 while `fail_flaky` is true, else a JPEG
class LocalCameraServer {
 public:
  LocalCameraServer(std::string user, std::string password);
  ~LocalCameraServer();  // releases /hang and stops the server

  int port() const { return port_; }
  // Returns "http://127.0.0.1:<port><path>".
  std::string Url(const std::string& path) const;

  std::atomic<bool> fail_flaky{true};
  std::atomic<int> digest_ok{0};      // requests that passed digest checks
  std::atomic<int> digest_failed{0};  // wrong response hash or user
  std::atomic<int> requests{0};
  std::atomic<int> hangs_started{0};

 private:
  bool CheckDigest(const std::string& authorization, const std::string& method);
  bool CheckBasic(const std::string& authorization) const;
  std::string NewNonce();
  void Register();

  std::string user_;
  std::string password_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
  std::set<std::string> nonces_;
  uint64_t nonce_counter_ = 0;
};

}  // namespace vigil::capture::testing
