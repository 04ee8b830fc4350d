// SPDX-License-Identifier: Apache-2.0
// MQTT notifier (libmosquitto) with Home Assistant MQTT discovery.
//
// Topics (P = topic_prefix, D = discovery_prefix, c = camera id):
//   P/status                     "online"/"offline", retained; the LWT
//   P/c/report                   latest notification JSON, retained
//   P/c/flags/<flag>             "ON"/"OFF" per vocabulary flag, retained
//   D/sensor/vigil_c_report/config         retained discovery (on connect)
//   D/binary_sensor/vigil_c_<flag>/config  retained discovery per flag
// Every revision of an alert goes to the same topics, so an update replaces
// the motion-time state. Discovery is re-sent when HA announces itself on
// D/status ("online").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alerts/notifier.h"

namespace vigil::alerts {

// Returns `name` lowercased with anything but [a-z0-9_] as '_' (HA ids).
std::string MqttId(const std::string& name);

class MqttNotifier : public Notifier {
 public:
  MqttNotifier(NotifierConfig config, std::vector<std::string> cameras,
               std::vector<std::string> flags);
  ~MqttNotifier() override;
  const std::string& name() const override { return config_.name; }
  // Starts the client's network thread and connects in the background
  // (reconnecting on its own); kInternal if libmosquitto refuses.
  Status Start() override;
  // Publishes "offline", disconnects and joins the network thread.
  void Stop() override;
  // Publishes the report (and on reports every flag state) with QoS 1 and
  // waits for the broker's acknowledgements; kUnavailable while offline.
  Status Deliver(const Notification& n) override;

  struct State;  // mqtt.cc

 private:
  NotifierConfig config_;
  std::unique_ptr<State> state_;
};

}  // namespace vigil::alerts
