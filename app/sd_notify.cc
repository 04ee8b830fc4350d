// SPDX-License-Identifier: Apache-2.0
// sd_notify(3) wire protocol: a single SOCK_DGRAM message of newline-separated
// VAR=VALUE assignments to the AF_UNIX socket systemd passes in
// $NOTIFY_SOCKET ('@' = abstract namespace).
#include "app/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstddef>
#include <cstring>

namespace vigil::app {
namespace {

// Parses a non-empty decimal string into `out`; false on anything else.
bool ParseUnsigned(const char* text, unsigned long long* out) {
  if (text == nullptr || *text == '\0') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0' || text[0] == '-') return false;
  *out = v;
  return true;
}

}  // namespace

Status SdNotifyTo(const std::string& socket_path, std::string_view state) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() < 2 ||
      (socket_path[0] != '/' && socket_path[0] != '@')) {
    return InvalidArgument("NOTIFY_SOCKET: expected an absolute path or "
                                "@abstract name, got '" + socket_path + "'");
  }
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return InvalidArgument(
        "NOTIFY_SOCKET: path has " + std::to_string(socket_path.size()) +
        " bytes, at most " + std::to_string(sizeof(addr.sun_path) - 1) +
        " fit a unix socket address");
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
  const socklen_t len = static_cast<socklen_t>(
      offsetof(sockaddr_un, sun_path) + socket_path.size());

  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(std::string("sd_notify: socket: ") +
                             std::strerror(errno));
  ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&addr), len);
  int err = errno;
  ::close(fd);
  if (sent < 0) {
    return IoError("sd_notify: cannot send to '" + socket_path +
                   "': " + std::strerror(err));
  }
  if (static_cast<size_t>(sent) != state.size()) {
    return IoError("sd_notify: short send to '" + socket_path + "'");
  }
  return OkStatus();
}

Status SdNotify(std::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || *path == '\0') return OkStatus();
  return SdNotifyTo(path, state);
}

std::optional<std::chrono::microseconds> SdWatchdogInterval() {
  unsigned long long usec = 0;
  if (!ParseUnsigned(std::getenv("WATCHDOG_USEC"), &usec) || usec == 0) {
    return std::nullopt;
  }
  // WATCHDOG_PID names the process meant to ping; a child that inherited
  // the environment must not.
  const char* pid_text = std::getenv("WATCHDOG_PID");
  unsigned long long pid = 0;
  if (pid_text != nullptr) {
    if (!ParseUnsigned(pid_text, &pid)) return std::nullopt;
    if (pid != static_cast<unsigned long long>(::getpid())) return std::nullopt;
  }
  return std::chrono::microseconds(usec);
}

SdWatchdog::SdWatchdog(std::function<bool()> healthy)
    : healthy_(std::move(healthy)) {}

SdWatchdog::~SdWatchdog() { Stop(); }

bool SdWatchdog::Start() {
  std::optional<std::chrono::microseconds> interval = SdWatchdogInterval();
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!interval || path == nullptr || *path == '\0') return false;
  StartWith(path, *interval);
  return true;
}

void SdWatchdog::StartWith(std::string socket_path,
                           std::chrono::microseconds interval) {
  Stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  // Half the interval, as sd_watchdog_enabled(3) recommends.
  auto period = std::max(interval / 2, std::chrono::microseconds(1000));
  thread_ = std::thread(&SdWatchdog::Loop, this, std::move(socket_path),
                        period);
}

void SdWatchdog::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SdWatchdog::Loop(std::string socket_path,
                      std::chrono::microseconds period) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    // A failed send is retried on the next tick; systemd decides on misses.
    if (healthy_()) (void)SdNotifyTo(socket_path, "WATCHDOG=1");
    lock.lock();
    cv_.wait_for(lock, period, [this] { return stop_; });
  }
}

}  // namespace vigil::app
