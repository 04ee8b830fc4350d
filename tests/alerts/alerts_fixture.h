// SPDX-License-Identifier: Apache-2.0
// Shared by the alerts tests: a temp dir with a real outbox database, a
// loopback HTTP receiver (cpp-httplib) that records requests, and a real
// mosquitto broker on a free port.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "alerts/config.h"
#include "alerts/event.h"
#include "store/outbox.h"

namespace vigil::alerts::testing {

// A fresh directory under the test temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ReceivedRequest {
  std::string path;
  httplib::Headers headers;
  std::string body;
};

// An HTTP server on 127.0.0.1:<free port> answering POSTs with
// `status_for(n)` for the n-th request (0-based), recording each.
class Receiver {
 public:
  explicit Receiver(std::function<int(int)> status_for = [](int) {
    return 200;
  });
  ~Receiver();
  std::string url(const std::string& path) const;
  std::vector<ReceivedRequest> requests() const;
  int attempts() const { return attempts_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::function<int(int)> status_for_;
  std::atomic<int> attempts_{0};
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> ok_requests_;  // answered with 2xx
};

// Runs /usr/sbin/mosquitto on a free loopback port with a temp config;
// killed at destruction.
class Broker {
 public:
  explicit Broker(const std::filesystem::path& dir);
  ~Broker();
  bool started() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }

 private:
  int pid_ = -1;
  int port_ = 0;
};

// Returns a free TCP port on 127.0.0.1 (bind to 0, read, close).
int FreePort();

// Polls `cond` every 10 ms until true or `timeout`.
bool WaitFor(const std::function<bool()>& cond,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A report event of snapshot `id` on `camera` at `at_ms`.
AlertEvent Report(const std::string& camera, int64_t id, int64_t at_ms,
                  std::vector<std::string> flags,
                  std::vector<std::string> subjects = {});
AlertEvent Motion(const std::string& camera, int64_t id, int64_t at_ms);

}  // namespace vigil::alerts::testing
