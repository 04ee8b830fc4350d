// SPDX-License-Identifier: Apache-2.0
#include "alerts/sender.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <utility>

#include "common/log.h"

namespace vigil::alerts {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int64_t RetryDelayMs(const SenderOptions& o, int attempts) {
  const double exp = std::min(std::max(attempts, 1) - 1, 30);
  const double s =
      std::min(o.retry_initial_s * std::pow(2.0, exp), o.retry_max_s);
  return static_cast<int64_t>(s * 1000);
}

OutboxSender::OutboxSender(store::Outbox& outbox,
                           std::vector<std::unique_ptr<Notifier>> notifiers,
                           SenderOptions options)
    : outbox_(outbox), options_(options) {
  for (auto& n : notifiers) {
    const std::string name = n->name();
    notifiers_[name] = std::move(n);
  }
}

OutboxSender::~OutboxSender() { Stop(); }

Status OutboxSender::Start() {
  if (started_) return InvalidArgument("outbox sender already started");
  for (auto& [name, n] : notifiers_) {
    VIGIL_RETURN_IF_ERROR(n->Start().WithContext("notifier " + name));
  }
  stop_ = false;
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return OkStatus();
}

void OutboxSender::Stop() {
  if (!started_) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& [name, n] : notifiers_) n->Stop();
  started_ = false;
}

void OutboxSender::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

int OutboxSender::RunOnce(int64_t now_ms) {
  Result<std::vector<store::OutboxItem>> items = outbox_.Pending(500);
  if (!items.ok()) {
    log::Warn("alerts", "outbox: " + items.status().ToString());
    return 0;
  }
  // A receiver gets an alert's revisions in order: once one row of an
  // (alert, receiver) pair is waiting or failed, later ones wait too.
  std::set<std::pair<std::string, std::string>> blocked;
  int delivered = 0;
  for (const store::OutboxItem& item : *items) {
    const auto key = std::make_pair(item.alert_id, item.receiver);
    if (blocked.count(key)) continue;
    auto it = notifiers_.find(item.receiver);
    if (it == notifiers_.end() || item.next_attempt_ms > now_ms) {
      blocked.insert(key);  // unknown receiver: kept until it is back
      continue;
    }
    Notification n;
    if (!FromJson(item.payload, &n)) {
      (void)outbox_.MarkAttemptFailed(item.id,
                                      "payload is not a "
                                      "notification",
                                      now_ms, true);
      continue;
    }
    Status s = it->second->Deliver(n);
    if (s.ok()) {
      if (Status m = outbox_.MarkDelivered(item.id, NowMs()); !m.ok()) {
        log::Warn("alerts", "outbox: " + m.ToString());
      }
      ++delivered;
      continue;
    }
    blocked.insert(key);
    const bool permanent = s.code() == StatusCode::kInvalidArgument;
    const int64_t next = now_ms + RetryDelayMs(options_, item.attempts + 1);
    log::Warn("alerts", s.ToString() +
                            (permanent ? " (giving up)"
                                       : " (attempt " +
                                             std::to_string(item.attempts + 1) +
                                             ", retrying)"));
    (void)outbox_.MarkAttemptFailed(item.id, s.ToString(), next, permanent);
  }
  return delivered;
}

void OutboxSender::Loop() {
  while (true) {
    const int64_t now = NowMs();
    RunOnce(now);
    if (now - last_prune_ms_ > 3600'000) {  // hourly
      last_prune_ms_ = now;
      const auto keep_ms = static_cast<int64_t>(options_.keep_days * 86400e3);
      Result<int64_t> pruned = outbox_.PruneBefore(now - keep_ms);
      if (!pruned.ok()) log::Warn("alerts", pruned.status().ToString());
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                 [&] { return stop_ || wake_; });
    if (stop_) return;
    wake_ = false;
  }
}

}  // namespace vigil::alerts
