// SPDX-License-Identifier: Apache-2.0
// Applies the retention policy at start and then every few minutes on its
// own thread, logging what was pruned.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/snapshot_store.h"

namespace vigil::app {

// Thread-safe: Start/Stop from the owner; the timer thread does the work.
class RetentionTimer {
 public:
  RetentionTimer(store::SnapshotStore& store, store::RetentionPolicy policy,
                 std::chrono::milliseconds period);
  ~RetentionTimer();  // calls Stop()

  // Starts the thread (first pass at once). No-op when the policy has no
  // limit at all.
  void Start();
  // Wakes and joins the thread. Idempotent.
  void Stop();
  // Returns how many passes completed (for tests and logs).
  int passes() const;

 private:
  void Run();
  void ApplyOnce();

  store::SnapshotStore& store_;
  store::RetentionPolicy policy_;
  std::chrono::milliseconds period_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int passes_ = 0;
  std::thread thread_;
};

// True if `policy` has at least one limit (global or per camera).
bool HasAnyLimit(const store::RetentionPolicy& policy);

}  // namespace vigil::app
