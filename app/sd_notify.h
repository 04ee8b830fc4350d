// SPDX-License-Identifier: Apache-2.0
// A tiny systemd notification client (sd_notify(3) protocol without
// libsystemd): one datagram per message to the unix socket in
// $NOTIFY_SOCKET, plus a watchdog pinger driven by $WATCHDOG_USEC.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

namespace vigil::app {

// Sends `state` (e.g. "READY=1", "WATCHDOG=1", "STOPPING=1",
// "STATUS=...") to `socket_path`: a filesystem path or, with a leading '@',
// an abstract socket. Returns kInvalidArgument for an unusable path and kIo
// when the datagram cannot be sent.
Status SdNotifyTo(const std::string& socket_path, std::string_view state);

// Sends `state` to $NOTIFY_SOCKET; returns OK without sending when the
// variable is unset (not started by systemd with Type=notify).
Status SdNotify(std::string_view state);

// Returns the watchdog interval systemd expects pings within ($WATCHDOG_USEC,
// honouring $WATCHDOG_PID), or nullopt when the watchdog is off or the
// variables are malformed.
std::optional<std::chrono::microseconds> SdWatchdogInterval();

// Pings "WATCHDOG=1" every interval/2 while `healthy()` returns true, so a
// hung or unhealthy process stops pinging and systemd restarts it.
// Thread-compatible: Start/Stop from one thread; `healthy` runs on the
// pinger's own thread.
class SdWatchdog {
 public:
  explicit SdWatchdog(std::function<bool()> healthy = [] { return true; });
  ~SdWatchdog();  // calls Stop()
  SdWatchdog(const SdWatchdog&) = delete;
  SdWatchdog& operator=(const SdWatchdog&) = delete;

  // Starts pinging when SdWatchdogInterval() is set; returns whether it did.
  bool Start();
  // Starts pinging `socket_path` every `interval` / 2 (tests, or callers
  // that read the environment themselves).
  void StartWith(std::string socket_path, std::chrono::microseconds interval);
  // Stops the pinger thread. Idempotent.
  void Stop();

 private:
  void Loop(std::string socket_path, std::chrono::microseconds period);

  std::function<bool()> healthy_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil::app
