// SPDX-License-Identifier: Apache-2.0
// MQTT notifier against a real mosquitto broker started by the test:
// retained Home Assistant discovery, availability (online/offline) and the
// state topics of a motion alert and its report update, read back by a
// libmosquitto subscriber.
#include "alerts/mqtt.h"

#include <gtest/gtest.h>
#include <mosquitto.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "alerts/hub.h"
#include "alerts/sender.h"
#include "tests/alerts/alerts_fixture.h"

namespace vigil::alerts {
namespace {

using nlohmann::json;
using testing::WaitFor;

struct Seen {
  std::string payload;
  bool retained = false;
  int count = 0;
};

// Subscribes to `#` and keeps the last message per topic.
class Subscriber {
 public:
  Subscriber(int port, const char* client_id) {
    mosquitto_lib_init();
    client_ = mosquitto_new(client_id, true, this);
    mosquitto_message_callback_set(
        client_, [](mosquitto*, void* self, const mosquitto_message* m) {
          auto* s = static_cast<Subscriber*>(self);
          std::lock_guard lock(s->mu_);
          Seen& seen = s->topics_[m->topic];
          seen.payload.assign(static_cast<const char*>(m->payload),
                              static_cast<size_t>(m->payloadlen));
          seen.retained = m->retain;
          ++seen.count;
        });
    mosquitto_connect_callback_set(client_, [](mosquitto* c, void*, int rc) {
      if (rc == 0) mosquitto_subscribe(c, nullptr, "#", 1);
    });
    EXPECT_EQ(mosquitto_connect(client_, "127.0.0.1", port, 30),
              MOSQ_ERR_SUCCESS);
    mosquitto_loop_start(client_);
  }
  ~Subscriber() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }
  std::optional<Seen> Get(const std::string& topic) {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return std::nullopt;
    return it->second;
  }
  size_t CountWithPrefix(const std::string& prefix) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& [t, s] : topics_) n += t.rfind(prefix, 0) == 0;
    return n;
  }

 private:
  mosquitto* client_ = nullptr;
  std::mutex mu_;
  std::map<std::string, Seen> topics_;
};

class MqttTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = std::make_unique<testing::Broker>(dir_.path());
    ASSERT_TRUE(broker_->started()) << "mosquitto did not start";
    config_.notifiers = {{.name = "ha",
                          .kind = NotifierKind::kMqtt,
                          .port = broker_->port(),
                          .client_id = "vigil-test"}};
    config_.rules = {{.name = "any", .on_motion = true}};
    config_.flag_vocabulary = {"person_at_door", "animal"};
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::Broker> broker_;
  AlertsConfig config_;
};

TEST_F(MqttTest, DiscoveryAvailabilityAndStateTopics) {
  MqttNotifier notifier(config_.notifiers[0], {"porch", "Back Yard"},
                        config_.flag_vocabulary);
  ASSERT_TRUE(notifier.Start().ok());
  // The notifier connects in the background; once a first subscriber saw
  // the announcement, a second one must get it again as retained messages.
  {
    Subscriber first(broker_->port(), "vigil-test-first");
    ASSERT_TRUE(WaitFor([&] {
      return first.CountWithPrefix("homeassistant/") == 2 * (1 + 2);
    })) << first.CountWithPrefix("homeassistant/");
  }
  Subscriber sub(broker_->port(), "vigil-test-sub");
  ASSERT_TRUE(WaitFor([&] {
    return sub.CountWithPrefix("homeassistant/") == 2 * (1 + 2);
  })) << sub.CountWithPrefix("homeassistant/");
  auto avail = sub.Get("vigil/status");
  ASSERT_TRUE(avail);
  EXPECT_EQ(avail->payload, "online");
  EXPECT_TRUE(avail->retained);

  auto sensor = sub.Get("homeassistant/sensor/vigil_porch_report/config");
  ASSERT_TRUE(sensor);
  EXPECT_TRUE(sensor->retained);
  const json s = json::parse(sensor->payload);
  EXPECT_EQ(s["state_topic"], "vigil/porch/report");
  EXPECT_EQ(s["json_attributes_topic"], "vigil/porch/report");
  EXPECT_EQ(s["availability_topic"], "vigil/status");
  EXPECT_EQ(s["unique_id"], "vigil_porch_report");
  EXPECT_EQ(s["device"]["identifiers"][0], "vigil_porch");
  auto flag = sub.Get(
      "homeassistant/binary_sensor/vigil_back_yard_person_at_door/config");
  ASSERT_TRUE(flag);
  const json f = json::parse(flag->payload);
  EXPECT_EQ(f["state_topic"], "vigil/back_yard/flags/person_at_door");
  EXPECT_EQ(f["payload_on"], "ON");
  EXPECT_EQ(f["device_class"], "occupancy");

  // Motion first, then the report updates the same topics.
  auto outbox = store::Outbox::Open(dir_.path() / "index.sqlite");
  ASSERT_TRUE(outbox.ok());
  AlertHub hub(config_, **outbox, {});
  ASSERT_EQ(hub.OnMotion(testing::Motion("porch", 3, 1000))->size(), 1u);
  Notification n;
  ASSERT_TRUE(FromJson((*(*outbox)->Pending(1))[0].payload, &n));
  ASSERT_TRUE(notifier.Deliver(n).ok());
  ASSERT_TRUE(
      WaitFor([&] { return sub.Get("vigil/porch/report").has_value(); }));
  json state = json::parse(sub.Get("vigil/porch/report")->payload);
  EXPECT_EQ(state["stage"], "motion");
  EXPECT_FALSE(sub.Get("vigil/porch/flags/person_at_door"));

  auto update = hub.OnReport(testing::Report("porch", 3, 1000, {"animal"}));
  ASSERT_EQ(update->size(), 1u);
  ASSERT_TRUE(notifier.Deliver((*update)[0]).ok());
  ASSERT_TRUE(WaitFor([&] {
    auto r = sub.Get("vigil/porch/report");
    return r && json::parse(r->payload)["stage"] == "report";
  }));
  state = json::parse(sub.Get("vigil/porch/report")->payload);
  EXPECT_EQ(state["event_id"], n.event_id);  // same alert, updated
  EXPECT_EQ(state["revision"], 2);
  EXPECT_EQ(state["scene"], "A porch.");
  EXPECT_EQ(state["summary"], "A porch. Someone waits.");
  ASSERT_TRUE(
      WaitFor([&] { return sub.Get("vigil/porch/flags/animal").has_value(); }));
  EXPECT_EQ(sub.Get("vigil/porch/flags/animal")->payload, "ON");
  ASSERT_TRUE(WaitFor(
      [&] { return sub.Get("vigil/porch/flags/person_at_door").has_value(); }));
  EXPECT_EQ(sub.Get("vigil/porch/flags/person_at_door")->payload, "OFF");

  notifier.Stop();
  ASSERT_TRUE(
      WaitFor([&] { return sub.Get("vigil/status")->payload == "offline"; }));
}

TEST_F(MqttTest, BrokerDownMeansUnavailableAndTheOutboxKeepsIt) {
  NotifierConfig down = config_.notifiers[0];
  down.port = testing::FreePort();
  down.timeout_s = 1;
  MqttNotifier notifier(down, {"porch"}, config_.flag_vocabulary);
  ASSERT_TRUE(notifier.Start().ok());  // connects in the background
  Notification n{.event_id = "e", .stage = "motion", .camera = "porch"};
  const Status s = notifier.Deliver(n);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  notifier.Stop();
}

}  // namespace
}  // namespace vigil::alerts
