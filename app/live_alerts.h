// SPDX-License-Identifier: Apache-2.0
// The alerts half of the composition root: the live event bus, the alert
// outbox (in the store's index.sqlite), the outbox sender with its
// notifiers, and the AlertHub the analysis side reports to.
#pragma once

#include <filesystem>
#include <memory>

#include "alerts/event_bus.h"
#include "alerts/hub.h"
#include "alerts/sender.h"
#include "app/config/app_config.h"
#include "common/status.h"
#include "store/outbox.h"

namespace vigil::app {

// Thread-compatible: Start/Stop from main; the parts inside are
// thread-safe (`hub`, `events`).
class LiveAlerts {
 public:
  // Opens the outbox in `index_db`, builds the configured notifiers and
  // starts the sender (undelivered alerts of an earlier run go out first).
  static Result<std::unique_ptr<LiveAlerts>> Start(
      const AppConfig& config, const std::filesystem::path& index_db);
  ~LiveAlerts();  // calls Stop()
  // Stops the sender (notifiers disconnect) and closes the event bus so
  // open /api/events streams end. Idempotent.
  void Stop();

  alerts::EventBus& events() { return events_; }
  alerts::AlertHub& hub() { return *hub_; }
  store::Outbox& outbox() { return *outbox_; }

 private:
  LiveAlerts() = default;
  alerts::EventBus events_;
  std::unique_ptr<store::Outbox> outbox_;
  std::unique_ptr<alerts::OutboxSender> sender_;
  std::unique_ptr<alerts::AlertHub> hub_;
};

}  // namespace vigil::app
