// SPDX-License-Identifier: Apache-2.0
// ntfy notifier: POST to the topic URL with the message as body and
// `X-Title`, `X-Tags` (flags), `X-Priority`, `X-Click` (snapshot) and
// `X-Attach` (image, only for absolute URLs). Every revision of an alert
// carries `X-Sequence-ID: <event_id>`, so ntfy (>= 2.16) replaces the
// motion-time notification with the report instead of adding another.
#pragma once

#include "alerts/notifier.h"

namespace vigil::alerts {

class NtfyNotifier : public Notifier {
 public:
  explicit NtfyNotifier(NotifierConfig config);
  const std::string& name() const override { return config_.name; }
  Status Deliver(const Notification& n) override;

 private:
  NotifierConfig config_;
};

}  // namespace vigil::alerts
