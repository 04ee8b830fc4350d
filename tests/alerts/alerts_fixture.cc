// SPDX-License-Identifier: Apache-2.0
#include "tests/alerts/alerts_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace vigil::alerts::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ =
      fs::temp_directory_path() /
      ("vigil-alerts-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool WaitFor(const std::function<bool()>& cond,
             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

Receiver::Receiver(std::function<int(int)> status_for)
    : status_for_(std::move(status_for)) {
  server_.Post(
      ".*", [this](const httplib::Request& req, httplib::Response& res) {
        const int n = attempts_++;
        res.status = status_for_(n);
        res.set_content(res.status < 300 ? "{\"ok\":true}" : "try later",
                        "text/plain");
        if (res.status < 300) {
          std::lock_guard lock(mu_);
          ok_requests_.push_back({req.path, req.headers, req.body});
        }
      });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  WaitFor([this] { return server_.is_running(); });
}

Receiver::~Receiver() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string Receiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedRequest> Receiver::requests() const {
  std::lock_guard lock(mu_);
  return ok_requests_;
}

Broker::Broker(const fs::path& dir) {
  port_ = FreePort();
  const fs::path conf = dir / "mosquitto.conf";
  std::ofstream(conf) << "listener " << port_ << " 127.0.0.1\n"
                      << "allow_anonymous true\n"
                      << "persistence false\n";
  pid_ = fork();
  if (pid_ == 0) {
    execl("/usr/sbin/mosquitto", "mosquitto", "-c", conf.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Ready once the port accepts connections.
  const bool up = WaitFor([this] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    const bool ok =
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
  });
  if (!up) port_ = 0;
}

Broker::~Broker() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

AlertEvent Report(const std::string& camera, int64_t id, int64_t at_ms,
                  std::vector<std::string> flags,
                  std::vector<std::string> subjects) {
  AlertEvent e;
  e.camera = camera;
  e.snapshot_id = id;
  e.at_ms = at_ms;
  e.kind = EventKind::kReport;
  e.flags = std::move(flags);
  e.subject_kinds = std::move(subjects);
  std::string flag_list;
  for (const std::string& f : e.flags) {
    flag_list += (flag_list.empty() ? "\"" : ",\"") + f + "\"";
  }
  e.report_json =
      "{\"scene\":\"A porch.\",\"subjects\":[],\"activity\":"
      "\"Someone waits.\",\"flags\":[" +
      flag_list + "]}";
  return e;
}

AlertEvent Motion(const std::string& camera, int64_t id, int64_t at_ms) {
  AlertEvent e;
  e.camera = camera;
  e.snapshot_id = id;
  e.at_ms = at_ms;
  e.kind = EventKind::kMotion;
  return e;
}

}  // namespace vigil::alerts::testing
