// SPDX-License-Identifier: Apache-2.0
// Periodic retention.
#include "app/retention_timer.h"

#include <string>

#include "common/log.h"

namespace vigil::app {

bool HasAnyLimit(const store::RetentionPolicy& policy) {
  auto any = [](const store::RetentionLimits& l) {
    return l.max_age.has_value() || l.max_bytes.has_value();
  };
  if (any(policy.global)) return true;
  for (const auto& [camera, limits] : policy.per_camera) {
    if (any(limits)) return true;
  }
  return false;
}

RetentionTimer::RetentionTimer(store::SnapshotStore& store,
                               store::RetentionPolicy policy,
                               std::chrono::milliseconds period)
    : store_(store), policy_(std::move(policy)), period_(period) {}

RetentionTimer::~RetentionTimer() { Stop(); }

void RetentionTimer::Start() {
  if (!HasAnyLimit(policy_) || thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void RetentionTimer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int RetentionTimer::passes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return passes_;
}

void RetentionTimer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    ApplyOnce();
    lock.lock();
    ++passes_;
    cv_.wait_for(lock, period_, [this] { return stop_; });
  }
}

void RetentionTimer::ApplyOnce() {
  Result<store::RetentionReport> r = store_.ApplyRetention(policy_);
  if (!r.ok()) {
    log::Error("retention", "pass failed: " + r.status().ToString());
    return;
  }
  if (r->removed_count > 0 || r->over_limit_kept) {
    log::Info("retention",
              "removed " + std::to_string(r->removed_count) + " snapshots (" +
                  std::to_string(r->removed_bytes) + " bytes), " +
                  std::to_string(r->dirs_removed) + " empty folders" +
                  (r->over_limit_kept
                       ? "; byte limit still exceeded by kept snapshots"
                       : ""));
  }
}

}  // namespace vigil::app
