// SPDX-License-Identifier: Apache-2.0
// app/sd_notify against a real AF_UNIX datagram socket, as systemd binds it.
#include "app/sd_notify.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace vigil::app {
namespace {

// A bound datagram socket standing in for systemd's notify socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    if (name[0] == '@') addr.sun_path[0] = '\0';
    socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) +
                                           name.size());
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  }
  ~NotifySocket() { ::close(fd_); }
  bool bound() const { return bound_; }
  std::string Receive(int timeout_ms = 5000) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n < 0 ? std::string("<timeout>") : std::string(buf, n);
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

std::string TempSocketPath(const char* tag) {
  auto p = std::filesystem::temp_directory_path() /
           ("vigil-notify-" + std::to_string(::getpid()) + "-" + tag);
  std::filesystem::remove(p);
  return p.string();
}

TEST(SdNotify, SendsToFilesystemSocket) {
  std::string path = TempSocketPath("fs");
  NotifySocket sock(path);
  ASSERT_TRUE(sock.bound());
  ASSERT_TRUE(SdNotifyTo(path, "READY=1\nSTATUS=serving").ok());
  EXPECT_EQ(sock.Receive(), "READY=1\nSTATUS=serving");
  std::filesystem::remove(path);
}

TEST(SdNotify, SendsToAbstractSocketFromEnvironment) {
  std::string name = "@vigil-notify-test-" + std::to_string(::getpid());
  NotifySocket sock(name);
  ASSERT_TRUE(sock.bound());
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  Status s = SdNotify("READY=1");
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sock.Receive(), "READY=1");
}

TEST(SdNotify, NoSocketIsANoOp) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(SdNotify("READY=1").ok());
}

TEST(SdNotify, BadPathsAreErrors) {
  EXPECT_EQ(SdNotifyTo("relative/path", "READY=1").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SdNotifyTo("/" + std::string(200, 'x'), "READY=1").code(),
            StatusCode::kInvalidArgument);
  Status gone = SdNotifyTo(TempSocketPath("missing"), "READY=1");
  EXPECT_EQ(gone.code(), StatusCode::kIo);
  EXPECT_NE(gone.message().find("cannot send"), std::string::npos);
}

TEST(SdNotify, WatchdogIntervalHonoursPid) {
  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::unsetenv("WATCHDOG_PID");
  ASSERT_TRUE(SdWatchdogInterval().has_value());
  EXPECT_EQ(SdWatchdogInterval()->count(), 30000000);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_TRUE(SdWatchdogInterval().has_value());
  ::setenv("WATCHDOG_PID", "1", 1);  // meant for another process
  EXPECT_FALSE(SdWatchdogInterval().has_value());
  ::setenv("WATCHDOG_PID", "12x", 1);
  EXPECT_FALSE(SdWatchdogInterval().has_value());
  ::unsetenv("WATCHDOG_PID");
  ::setenv("WATCHDOG_USEC", "-5", 1);
  EXPECT_FALSE(SdWatchdogInterval().has_value());
  ::setenv("WATCHDOG_USEC", "0", 1);
  EXPECT_FALSE(SdWatchdogInterval().has_value());
  ::unsetenv("WATCHDOG_USEC");
  EXPECT_FALSE(SdWatchdogInterval().has_value());
}

TEST(SdNotify, WatchdogPingsUntilStopped) {
  std::string path = TempSocketPath("wd");
  NotifySocket sock(path);
  ASSERT_TRUE(sock.bound());
  SdWatchdog watchdog;
  watchdog.StartWith(path, std::chrono::milliseconds(20));
  EXPECT_EQ(sock.Receive(), "WATCHDOG=1");
  EXPECT_EQ(sock.Receive(), "WATCHDOG=1");
  watchdog.Stop();
  std::filesystem::remove(path);
}

TEST(SdNotify, UnhealthyProcessStopsPinging) {
  std::string path = TempSocketPath("sick");
  NotifySocket sock(path);
  ASSERT_TRUE(sock.bound());
  std::atomic<int> checks{0};
  SdWatchdog watchdog([&checks] { return ++checks < 3; });
  watchdog.StartWith(path, std::chrono::milliseconds(10));
  EXPECT_EQ(sock.Receive(), "WATCHDOG=1");
  EXPECT_EQ(sock.Receive(), "WATCHDOG=1");
  while (checks < 6) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  watchdog.Stop();
  // Exactly two pings (the two healthy checks) were sent.
  std::string third = sock.Receive(/*timeout_ms=*/200);
  EXPECT_EQ(third, "<timeout>");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vigil::app
