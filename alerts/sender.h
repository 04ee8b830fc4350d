// SPDX-License-Identifier: Apache-2.0
// The outbox sender: a background thread that delivers every undelivered
// outbox row through its notifier, marks it delivered, and retries failures
// with exponential backoff. Revisions of one alert reach a receiver in
// order. Rows survive restarts (they live in SQLite), so a new sender on the
// same database picks up where the old one stopped.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "alerts/notifier.h"
#include "store/outbox.h"

namespace vigil::alerts {

struct SenderOptions {
  double retry_initial_s = 2;  // first retry delay, doubled per attempt
  double retry_max_s = 600;    // cap
  int poll_ms = 1000;          // idle re-check of the outbox
  // Delivered/failed rows and their alerts are kept this long (timeline).
  double keep_days = 30;
};

// Returns the wait after `attempts` failed attempts (1 -> initial).
int64_t RetryDelayMs(const SenderOptions& options, int attempts);

// Thread-safe: Start/Stop from the owner; Wake from anywhere.
class OutboxSender {
 public:
  // `outbox` must outlive the sender.
  OutboxSender(store::Outbox& outbox,
               std::vector<std::unique_ptr<Notifier>> notifiers,
               SenderOptions options);
  ~OutboxSender();  // calls Stop()

  // Starts every notifier, then the sender thread.
  Status Start();
  // Stops the thread (an in-flight delivery finishes first), then the
  // notifiers. Idempotent.
  void Stop();
  // Asks the thread to look at the outbox now (new rows).
  void Wake();
  // Runs one pass over the outbox at `now_ms` on the calling thread
  // (tests, `vigil` shutdown); returns how many rows were delivered.
  int RunOnce(int64_t now_ms);

 private:
  void Loop();

  store::Outbox& outbox_;
  std::map<std::string, std::unique_ptr<Notifier>> notifiers_;
  SenderOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool wake_ = false;
  bool started_ = false;
  int64_t last_prune_ms_ = 0;
  std::thread thread_;
};

}  // namespace vigil::alerts
