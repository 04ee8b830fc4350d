// SPDX-License-Identifier: Apache-2.0
// A real local HTTP camera for the integration tests: a cpp-httplib server
// in the test process serving fresh JPEGs behind HTTP digest auth, plus the
// broken cameras users meet (corrupt JPEG, HTML page, 401, hang).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}  // namespace httplib

namespace vigil::testing {

// Returns a valid JPEG of `width`x`height` whose content depends on `seed`.
std::vector<unsigned char> MakeJpeg(int width, int height, int seed);

// Thread-safe. Routes:
//   /snap.jpg     JPEG behind digest auth (user/password from the ctor)
//   /corrupt.jpg  bytes that start like a JPEG and then stop
//   /html.jpg     200 with an HTML login page
//   /denied.jpg   always 401
//   /hang.jpg     never answers until the server stops
class FakeCamera {
 public:
  FakeCamera(std::string user, std::string password);
  ~FakeCamera();
  int port() const { return port_; }
  std::string Url(const std::string& path) const;
  int snaps_served() const { return snaps_served_.load(); }
  int auth_challenges() const { return challenges_.load(); }

 private:
  bool CheckDigest(const std::string& method, const std::string& header);

  std::string user_, password_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> snaps_served_{0};
  std::atomic<int> challenges_{0};
};

}  // namespace vigil::testing
