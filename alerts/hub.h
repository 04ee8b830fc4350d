// SPDX-License-Identifier: Apache-2.0
// AlertHub: where the analysis side reports motion and reports. It applies
// the rules (with cooldown and de-duplication), writes each resulting
// notification to the outbox before anything is sent, wakes the sender and
// publishes an "alert" live event.
//
// Fast first, rich later: a rule with `on_motion` fires at motion time;
// the report for that snapshot then UPDATES the same alert (same event id,
// revision + 1), which notifiers turn into the same webhook event id, the
// same MQTT topics and the same ntfy sequence id.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "alerts/config.h"
#include "alerts/event.h"
#include "alerts/event_bus.h"
#include "common/status.h"
#include "store/outbox.h"

namespace vigil::alerts {

struct HubOptions {
  // Minutes after local midnight for an event time; `LocalMinuteOfDay`
  // unless a test pins the clock.
  std::function<int(int64_t at_ms)> local_minute;
  // Called after rows were queued (the sender's `Wake`).
  std::function<void()> on_enqueued;
  EventBus* bus = nullptr;  // live "alert" events; may be null
};

// Thread-safe.
class AlertHub {
 public:
  // `outbox` must outlive the hub.
  AlertHub(AlertsConfig config, store::Outbox& outbox, HubOptions options);

  // Motion on `event.camera` (kind is forced to kMotion). Returns the
  // notifications queued (empty when no `on_motion` rule fired).
  Result<std::vector<Notification>> OnMotion(AlertEvent event);
  // A report is ready (kind forced to kReport). Updates alerts opened for
  // the same snapshot, or opens new ones where a rule matches and the
  // cooldown allows. Returns the notifications queued.
  Result<std::vector<Notification>> OnReport(AlertEvent event);

  const AlertsConfig& config() const { return config_; }
  store::Outbox& outbox() { return outbox_; }

 private:
  // The last alert a rule fired for a camera (cooldown and updates).
  struct OpenAlert {
    std::string event_id;
    int64_t snapshot_id = 0;
    int64_t fired_at_ms = 0;
    int32_t revision = 0;
    std::string last_report;  // de-duplicates identical reports
    int64_t created_at_ms = 0;
  };
  using Key = std::pair<std::string, std::string>;  // (rule, camera)

  Notification Build(const AlertRule& rule, const AlertEvent& e,
                     const OpenAlert& open) const;
  Status Queue(const AlertRule& rule, const Notification& n,
               int64_t created_at_ms);
  std::vector<std::string> Receivers(const AlertRule& rule) const;

  AlertsConfig config_;
  store::Outbox& outbox_;
  HubOptions options_;
  std::mutex mu_;
  std::map<Key, OpenAlert> open_;
};

// Returns a new random event id (16 lowercase hex digits).
std::string NewEventId();

}  // namespace vigil::alerts
