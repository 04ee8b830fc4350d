// SPDX-License-Identifier: Apache-2.0
// The notifier interface: one delivery of one notification revision to one
// receiver. Implementations: webhook.h, ntfy.h, mqtt.h (`MakeNotifier`).
#pragma once

#include <memory>
#include <string>

#include "alerts/config.h"
#include "alerts/event.h"
#include "common/status.h"

namespace vigil::alerts {

// Thread-compatible: the outbox sender calls one notifier from one thread.
class Notifier {
 public:
  virtual ~Notifier() = default;
  // The configured name; the outbox's receiver key.
  virtual const std::string& name() const = 0;
  // Connects what needs a connection (MQTT); HTTP notifiers do nothing.
  virtual Status Start() { return OkStatus(); }
  virtual void Stop() {}
  // Delivers `n`. Idempotent per (event_id, revision): a receiver that sees
  // the same pair twice (a crash between delivery and bookkeeping) can drop
  // it. Returns OK once the receiver acknowledged; kInvalidArgument when
  // retrying cannot help (4xx); kUnavailable/kIo otherwise (retried).
  virtual Status Deliver(const Notification& n) = 0;
};

// Builds the notifier `config` describes. `alerts` supplies the flag
// vocabulary (MQTT discovery) and `cameras` the camera names.
Result<std::unique_ptr<Notifier>> MakeNotifier(
    const NotifierConfig& config, const AlertsConfig& alerts,
    const std::vector<std::string>& cameras);

}  // namespace vigil::alerts
