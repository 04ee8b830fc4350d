// SPDX-License-Identifier: Apache-2.0
// Topic names and payloads of the MQTT notifier (pure; see mqtt.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "alerts/config.h"
#include "alerts/event.h"

namespace vigil::alerts {

struct MqttMessage {
  std::string topic;
  std::string payload;
  bool retain = true;
};

std::string AvailabilityTopic(const NotifierConfig& c);
// Returns the retained discovery configs for every camera and flag.
std::vector<MqttMessage> DiscoveryMessages(
    const NotifierConfig& c, const std::vector<std::string>& cameras,
    const std::vector<std::string>& flags);
// Returns the state messages of one notification: the report topic, and
// for the report stage "ON"/"OFF" for every flag of `flags`.
std::vector<MqttMessage> StateMessages(const NotifierConfig& c,
                                       const Notification& n,
                                       const std::vector<std::string>& flags);

}  // namespace vigil::alerts
