// SPDX-License-Identifier: Apache-2.0
// Webhook notifier: POSTs the notification JSON (report and image URL
// included). Headers `X-Vigil-Event-Id` (same for every revision of an
// alert) and `Idempotency-Key: <event_id>-<revision>` let receivers update
// or de-duplicate. Retries are the outbox's job.
#pragma once

#include "alerts/notifier.h"

namespace vigil::alerts {

class WebhookNotifier : public Notifier {
 public:
  explicit WebhookNotifier(NotifierConfig config);
  const std::string& name() const override { return config_.name; }
  Status Deliver(const Notification& n) override;

 private:
  NotifierConfig config_;
};

}  // namespace vigil::alerts
