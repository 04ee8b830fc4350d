// SPDX-License-Identifier: Apache-2.0
// libmosquitto client: background network thread, LWT, QoS 1 publishes
// whose acknowledgements `Deliver` waits for.
#include "alerts/mqtt.h"

#include <mosquitto.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

#include "alerts/mqtt_topics.h"
#include "common/log.h"

namespace vigil::alerts {

struct MqttNotifier::State {
  NotifierConfig config;
  std::vector<std::string> cameras;
  std::vector<std::string> flags;
  mosquitto* client = nullptr;
  bool loop_started = false;
  std::mutex mu;
  std::condition_variable cv;
  bool connected = false;
  std::set<int> unacked;  // QoS 1 message ids awaiting PUBACK

  // Publishes without waiting; returns the mid or -1.
  int Publish(const MqttMessage& m) {
    int mid = 0;
    {
      // Hold the lock across publish so a fast PUBACK cannot arrive
      // before the mid is recorded.
      std::lock_guard lock(mu);
      const int rc = mosquitto_publish(client, &mid, m.topic.c_str(),
                                       static_cast<int>(m.payload.size()),
                                       m.payload.data(), /*qos=*/1, m.retain);
      if (rc != MOSQ_ERR_SUCCESS) return -1;
      unacked.insert(mid);
    }
    return mid;
  }

  void Announce() {
    Publish({AvailabilityTopic(config), "online"});
    for (const MqttMessage& m : DiscoveryMessages(config, cameras, flags)) {
      Publish(m);
    }
  }
};

namespace {

std::once_flag g_lib_init;

MqttNotifier::State* StateOf(void* obj) {
  return static_cast<MqttNotifier::State*>(obj);
}

void OnConnect(mosquitto* client, void* obj, int rc) {
  MqttNotifier::State* s = StateOf(obj);
  if (rc != 0) {
    log::Warn("alerts", "mqtt " + s->config.name + ": broker refused: " +
                            mosquitto_connack_string(rc));
    return;
  }
  {
    std::lock_guard lock(s->mu);
    s->connected = true;
  }
  const std::string ha_status = s->config.discovery_prefix + "/status";
  mosquitto_subscribe(client, nullptr, ha_status.c_str(), 1);
  s->Announce();
  s->cv.notify_all();
}

void OnDisconnect(mosquitto*, void* obj, int) {
  MqttNotifier::State* s = StateOf(obj);
  std::lock_guard lock(s->mu);
  s->connected = false;
  s->unacked.clear();  // lost with the session; Deliver reports failure
  s->cv.notify_all();
}

void OnPublish(mosquitto*, void* obj, int mid) {
  MqttNotifier::State* s = StateOf(obj);
  {
    std::lock_guard lock(s->mu);
    s->unacked.erase(mid);
  }
  s->cv.notify_all();
}

// Home Assistant restarted: it asks integrations to re-announce.
void OnMessage(mosquitto*, void* obj, const mosquitto_message* msg) {
  MqttNotifier::State* s = StateOf(obj);
  const std::string payload(static_cast<const char*>(msg->payload),
                            static_cast<size_t>(msg->payloadlen));
  if (payload == "online") s->Announce();
}

}  // namespace

MqttNotifier::MqttNotifier(NotifierConfig config,
                           std::vector<std::string> cameras,
                           std::vector<std::string> flags)
    : config_(std::move(config)), state_(std::make_unique<State>()) {
  state_->config = config_;
  state_->cameras = std::move(cameras);
  state_->flags = std::move(flags);
}

MqttNotifier::~MqttNotifier() { Stop(); }

Status MqttNotifier::Start() {
  std::call_once(g_lib_init, [] { mosquitto_lib_init(); });
  State& s = *state_;
  if (s.client) return OkStatus();
  s.client =
      mosquitto_new(config_.client_id.c_str(), /*clean_session=*/true, &s);
  if (!s.client) return InternalError("mqtt " + config_.name + ": new failed");
  if (!config_.username.empty()) {
    log::RegisterSecret(config_.password);
    mosquitto_username_pw_set(s.client, config_.username.c_str(),
                              config_.password.c_str());
  }
  const std::string avail = AvailabilityTopic(config_);
  mosquitto_will_set(s.client, avail.c_str(), 7, "offline", 1, true);
  mosquitto_connect_callback_set(s.client, OnConnect);
  mosquitto_disconnect_callback_set(s.client, OnDisconnect);
  mosquitto_publish_callback_set(s.client, OnPublish);
  mosquitto_message_callback_set(s.client, OnMessage);
  mosquitto_reconnect_delay_set(s.client, 1, 30, true);
  // Async: a broker that is down at start is retried by the loop thread.
  const int rc = mosquitto_connect_async(s.client, config_.host.c_str(),
                                         config_.port, /*keepalive=*/30);
  if (rc != MOSQ_ERR_SUCCESS) {
    log::Warn("alerts", "mqtt " + config_.name + ": connect to " +
                            config_.host + ":" + std::to_string(config_.port) +
                            ": " + mosquitto_strerror(rc) + " (will retry)");
  }
  if (mosquitto_loop_start(s.client) != MOSQ_ERR_SUCCESS) {
    return InternalError("mqtt " + config_.name + ": loop start failed");
  }
  s.loop_started = true;
  return OkStatus();
}

void MqttNotifier::Stop() {
  State& s = *state_;
  if (!s.client) return;
  bool connected;
  {
    std::lock_guard lock(s.mu);
    connected = s.connected;
  }
  if (connected) {
    const int mid = s.Publish({AvailabilityTopic(config_), "offline"});
    std::unique_lock lock(s.mu);
    s.cv.wait_for(lock, std::chrono::seconds(2),
                  [&] { return !s.unacked.count(mid) || !s.connected; });
  }
  mosquitto_disconnect(s.client);
  if (s.loop_started) mosquitto_loop_stop(s.client, /*force=*/false);
  mosquitto_destroy(s.client);
  s.client = nullptr;
  s.loop_started = false;
}

Status MqttNotifier::Deliver(const Notification& n) {
  State& s = *state_;
  const std::string what = "mqtt " + config_.name;
  {
    std::unique_lock lock(s.mu);
    // A fresh start may still be connecting: give it a moment.
    s.cv.wait_for(lock, std::chrono::seconds(2), [&] { return s.connected; });
    if (!s.client || !s.connected) {
      return Unavailable(what + ": not connected to " + config_.host + ":" +
                         std::to_string(config_.port));
    }
  }
  std::vector<int> mids;
  for (const MqttMessage& m : StateMessages(config_, n, s.flags)) {
    const int mid = s.Publish(m);
    if (mid < 0)
      return Unavailable(what + ": publish to " + m.topic + " failed");
    mids.push_back(mid);
  }
  std::unique_lock lock(s.mu);
  const bool acked =
      s.cv.wait_for(lock, std::chrono::seconds(config_.timeout_s), [&] {
        for (int mid : mids) {
          if (s.unacked.count(mid)) return !s.connected;
        }
        return true;
      });
  for (int mid : mids) {
    if (s.unacked.count(mid) || !acked) {
      return Unavailable(what + ": broker did not acknowledge in " +
                         std::to_string(config_.timeout_s) + " s");
    }
  }
  if (!s.connected) return Unavailable(what + ": disconnected while sending");
  return OkStatus();
}

}  // namespace vigil::alerts
