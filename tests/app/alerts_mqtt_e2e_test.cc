// SPDX-License-Identifier: Apache-2.0
// MQTT through the real `vigil serve` binary and a real mosquitto broker
// started by the test: Home Assistant discovery and availability arrive,
// and a motion alert's state topics are updated by its report (same event
// id, revision 2, every flag ON/OFF); SIGTERM marks vigil offline.
#include <mosquitto.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/alerts/alerts_fixture.h"
#include "tests/app/alerts_e2e.h"
#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::seconds;

// Subscribes to `#` and keeps every payload per topic, in order.
class TopicLog {
 public:
  explicit TopicLog(int port) {
    mosquitto_lib_init();
    client_ = mosquitto_new("vigil-e2e-sub", true, this);
    mosquitto_message_callback_set(
        client_, [](mosquitto*, void* self, const mosquitto_message* m) {
          auto* log = static_cast<TopicLog*>(self);
          std::lock_guard lock(log->mu_);
          log->topics_[m->topic].emplace_back(
              static_cast<const char*>(m->payload), size_t(m->payloadlen));
        });
    mosquitto_connect_callback_set(client_, [](mosquitto* c, void*, int rc) {
      if (rc == 0) mosquitto_subscribe(c, nullptr, "#", 1);
    });
    EXPECT_EQ(mosquitto_connect(client_, "127.0.0.1", port, 30),
              MOSQ_ERR_SUCCESS);
    mosquitto_loop_start(client_);
  }
  ~TopicLog() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }
  std::vector<std::string> Get(const std::string& topic) {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    return it == topics_.end() ? std::vector<std::string>{} : it->second;
  }
  std::optional<std::string> Last(const std::string& topic) {
    std::vector<std::string> all = Get(topic);
    if (all.empty()) return std::nullopt;
    return all.back();
  }

 private:
  mosquitto* client_ = nullptr;
  std::mutex mu_;
  std::map<std::string, std::vector<std::string>> topics_;
};

TEST(AlertsMqttE2e, DiscoveryAndStateTopicsThroughTheBinary) {
  const fs::path dir = MakeTempDir("alerts_mqtt_e2e");
  alerts::testing::Broker broker(dir);
  ASSERT_TRUE(broker.started()) << "is Debian's mosquitto installed?";
  TopicLog topics(broker.port());
  SceneCamera cam;
  std::ofstream(dir / "vigil.yaml") << AlertsConfig(
      dir / "data", cam,
      "    ha: {type: mqtt, host: 127.0.0.1, port: " +
          std::to_string(broker.port()) +
          ", client_id: vigil-e2e, timeout_s: 2}\n");
  VigilProcess vigil({"serve", "--config", (dir / "vigil.yaml").string()},
                     dir,
                     {{"VIGIL_TEST_WEB_PASS", kAlertsWebPass},
                      {"VIGIL_TEST_TOKEN", kAlertsToken}});
  ASSERT_GT(WaitForPort(vigil), 0) << vigil.Stderr();

  const std::vector<std::string> flags = {"person_at_door", "animal",
                                          "gate_left_open"};
  ASSERT_TRUE(WaitUntil(
      [&] {
        bool all = topics.Last("homeassistant/sensor/vigil_door_report/config")
                       .has_value();
        for (const std::string& f : flags) {
          all = all && topics.Last("homeassistant/binary_sensor/vigil_door_" +
                                   f + "/config");
        }
        return all && topics.Last("vigil/status") == "online";
      },
      seconds(20)))
      << vigil.Stderr();
  const json sensor = json::parse(
      *topics.Last("homeassistant/sensor/vigil_door_report/config"));
  EXPECT_EQ(sensor["state_topic"], "vigil/door/report");
  EXPECT_EQ(sensor["availability_topic"], "vigil/status");

  const int start = cam.served();
  ASSERT_TRUE(WaitUntil([&] { return cam.served() >= start + 4; },
                        seconds(20)));
  cam.SetScene(1);  // motion: the alert, then its report update
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto r = topics.Last("vigil/door/report");
        return r && json::parse(*r, nullptr, false)["stage"] == "report";
      },
      seconds(45)))
      << vigil.Stderr();
  const std::vector<std::string> states = topics.Get("vigil/door/report");
  ASSERT_EQ(states.size(), 2u);
  const json motion = json::parse(states[0]), report = json::parse(states[1]);
  EXPECT_EQ(motion["stage"], "motion");
  EXPECT_EQ(motion["revision"], 1);
  EXPECT_EQ(report["event_id"], motion["event_id"]);  // same alert, updated
  EXPECT_EQ(report["revision"], 2);
  EXPECT_TRUE(report["scene"].is_string());
  ASSERT_TRUE(WaitUntil(
      [&] {
        for (const std::string& f : flags) {
          if (!topics.Last("vigil/door/flags/" + f)) return false;
        }
        return true;
      },
      seconds(10)));
  for (const std::string& f : flags) {
    const std::string v = *topics.Last("vigil/door/flags/" + f);
    EXPECT_TRUE(v == "ON" || v == "OFF") << f << ": " << v;
  }
  // The reports' vocabulary leaves this flag out: never ON.
  EXPECT_EQ(*topics.Last("vigil/door/flags/gate_left_open"), "OFF");

  EXPECT_EQ(vigil.Signal(SIGTERM, seconds(20)), 0) << vigil.Stderr();
  EXPECT_TRUE(WaitUntil([&] { return topics.Last("vigil/status") == "offline"; },
                        seconds(10)));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing
