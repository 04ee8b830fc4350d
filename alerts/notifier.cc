// SPDX-License-Identifier: Apache-2.0
#include "alerts/notifier.h"

#include "alerts/mqtt.h"
#include "alerts/ntfy.h"
#include "alerts/webhook.h"

namespace vigil::alerts {

Result<std::unique_ptr<Notifier>> MakeNotifier(
    const NotifierConfig& config, const AlertsConfig& alerts,
    const std::vector<std::string>& cameras) {
  switch (config.kind) {
    case NotifierKind::kWebhook:
      return std::unique_ptr<Notifier>(new WebhookNotifier(config));
    case NotifierKind::kNtfy:
      return std::unique_ptr<Notifier>(new NtfyNotifier(config));
    case NotifierKind::kMqtt:
      return std::unique_ptr<Notifier>(
          new MqttNotifier(config, cameras, alerts.flag_vocabulary));
    default:
      return InvalidArgument("alerts.notifiers." + config.name +
                             ": unknown kind");
  }
}

}  // namespace vigil::alerts
