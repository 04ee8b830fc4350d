// SPDX-License-Identifier: Apache-2.0
// GET /api/events (Server-Sent Events) read by an httplib client against a
// real appliance: auth, snapshot/report/alert frames with ids, resume with
// Last-Event-ID; report filters on GET /api/snapshots; GET /api/alerts.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "alerts/hub.h"
#include "tests/web/api_client.h"
#include "tests/web/test_fixture.h"

namespace vigil::web::testing {
namespace {

using nlohmann::json;

// Reads /api/events on a background thread until `Close()`.
class EventReader {
 public:
  EventReader(int port, httplib::Headers headers) : client_("127.0.0.1", port) {
    client_.set_read_timeout(30, 0);
    thread_ = std::thread([this, headers] {
      auto res = client_.Get(
          "/api/events", headers,
          [this](const httplib::Response& r) {
            std::lock_guard lock(mu_);
            status_ = r.status;
            content_type_ = r.get_header_value("Content-Type");
            return r.status == 200;
          },
          [this](const char* data, size_t len) {
            std::lock_guard lock(mu_);
            text_.append(data, len);
            cv_.notify_all();
            return !closing_.load();
          });
      std::lock_guard lock(mu_);
      done_ = true;
      cv_.notify_all();
    });
  }
  ~EventReader() { Close(); }

  // Waits until the stream text contains `needle`.
  bool WaitFor(const std::string& needle) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] {
      return text_.find(needle) != std::string::npos || done_;
    }) && text_.find(needle) != std::string::npos;
  }
  void Close() {
    closing_ = true;
    client_.stop();  // unblocks a read waiting on a quiet stream
    if (thread_.joinable()) thread_.join();
  }
  std::string text() {
    std::lock_guard lock(mu_);
    return text_;
  }
  // Returns the data JSON of the first `event: <type>` frame.
  json Data(const std::string& type) {
    const std::string t = text();
    const size_t at = t.find("event: " + type + "\n");
    if (at == std::string::npos) return nullptr;
    const size_t data = t.find("data: ", at) + 6;
    return json::parse(t.substr(data, t.find('\n', data) - data), nullptr,
                       false);
  }
  int status() {
    std::lock_guard lock(mu_);
    return status_;
  }
  std::string content_type() {
    std::lock_guard lock(mu_);
    return content_type_;
  }

 private:
  httplib::Client client_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  std::string content_type_;
  int status_ = 0;
  bool done_ = false;
  std::atomic<bool> closing_{false};
};

const httplib::Headers kBearer = {
    {"Authorization", std::string("Bearer ") + kToken}};

int64_t SaveSnapshot(Appliance& app, const std::string& camera) {
  auto ids = app.Seed(camera, 1, std::chrono::system_clock::now(),
                      std::chrono::milliseconds(1));
  alerts::PublishSnapshot(app.events(), ids[0], camera);
  return ids[0];
}

TEST(EventsApiTest, NeedsAuth) {
  Appliance app;
  ApiClient client(app.port());
  auto res = client.Get("/api/events");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(Json(res)["code"], "Unauthenticated");
}

TEST(EventsApiTest, StreamsSnapshotReportAndAlertEvents) {
  Appliance app;
  EventReader reader(app.port(), kBearer);
  ASSERT_TRUE(reader.WaitFor(": stream open"));
  EXPECT_EQ(reader.status(), 200);
  EXPECT_EQ(reader.content_type(), "text/event-stream");

  const int64_t id = SaveSnapshot(app, "front_door");
  ASSERT_TRUE(reader.WaitFor("event: snapshot"));
  json snap = reader.Data("snapshot");
  EXPECT_EQ(snap["id"], id);
  EXPECT_EQ(snap["camera"], "front_door");
  EXPECT_EQ(snap["thumbnail_url"],
            "/api/snapshots/" + std::to_string(id) + "/thumbnail");
  EXPECT_TRUE(snap["report"].is_null());

  const std::string report =
      R"({"scene":"A cat on the step.","subjects":[{"kind":"animal",)"
      R"("description":"grey cat","count":1}],"activity":"Sitting.",)"
      R"("flags":["animal"]})";
  ASSERT_TRUE(
      app.store()
          .AddReport({.snapshot_id = id, .model = "test", .json = report})
          .ok());
  alerts::PublishReport(app.events(), id, "front_door");
  ASSERT_TRUE(reader.WaitFor("event: report"));
  json rep = reader.Data("report");
  EXPECT_EQ(rep["id"], id);
  EXPECT_EQ(rep["flags"], json::array({"animal"}));
  EXPECT_EQ(rep["report"]["scene"], "A cat on the step.");

  alerts::AlertsConfig config;
  config.rules = {{.name = "animals", .flags = {"animal"}}};
  alerts::AlertHub hub(config, app.outbox(), {.bus = &app.events()});
  alerts::AlertEvent e{.camera = "front_door",
                       .snapshot_id = id,
                       .at_ms = 1000,
                       .flags = {"animal"},
                       .subject_kinds = {"animal"},
                       .report_json = report};
  ASSERT_EQ(hub.OnReport(e)->size(), 1u);
  ASSERT_TRUE(reader.WaitFor("event: alert"));
  json alert = reader.Data("alert");
  EXPECT_EQ(alert["rule"], "animals");
  EXPECT_EQ(alert["snapshot_id"], id);
  // Every bus event carries an id for Last-Event-ID.
  EXPECT_NE(reader.text().find("id: 3\nevent: alert"), std::string::npos)
      << reader.text();
  reader.Close();

  // Resume: a client that saw id 1 gets 2 and 3 again.
  EventReader resumed(app.port(),
                      {{"Authorization", std::string("Bearer ") + kToken},
                       {"Last-Event-ID", "1"}});
  ASSERT_TRUE(resumed.WaitFor("event: alert"));
  const std::string text = resumed.text();
  EXPECT_EQ(text.find("event: snapshot"), std::string::npos);
  EXPECT_NE(text.find("id: 2\nevent: report"), std::string::npos);
}

TEST(EventsApiTest, CameraStatusChangesAndScheduledSnapshots) {
  Appliance app;
  EventReader reader(app.port(), kBearer);
  ASSERT_TRUE(reader.WaitFor(": stream open"));
  // A capture through the scheduler: its sink publishes the snapshot and
  // the camera's status (online, last snapshot) changes.
  auto id = app.scheduler().SnapNow("backyard");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(reader.WaitFor("event: snapshot"));
  EXPECT_EQ(reader.Data("snapshot")["id"], *id);
  ASSERT_TRUE(reader.WaitFor("event: camera"));
  json cam = reader.Data("camera");
  EXPECT_EQ(cam["name"], "backyard");
  EXPECT_EQ(cam["online"], true);
  EXPECT_EQ(cam["last_snapshot_id"], *id);
}

TEST(EventsApiTest, ReportFiltersAndAlertsTimeline) {
  Appliance app;
  const auto t0 = std::chrono::system_clock::now();
  auto ids = app.Seed("backyard", 3, t0, std::chrono::seconds(1));
  ASSERT_TRUE(app.store()
                  .AddReport({.snapshot_id = ids[0],
                              .model = "m",
                              .json = R"({"flags":["animal"],"subjects":)"
                                      R"([{"kind":"animal","count":1}]})"})
                  .ok());
  ASSERT_TRUE(app.store()
                  .AddReport({.snapshot_id = ids[1],
                              .model = "m",
                              .json = R"({"flags":["unknown_vehicle"],)"
                                      R"("subjects":[{"kind":"vehicle"}]})"})
                  .ok());
  EXPECT_EQ(app.store()
                .AddReport({.snapshot_id = 999999, .json = "{}"})
                .status()
                .code(),
            StatusCode::kNotFound);
  ApiClient client(app.port());
  auto list = [&](const std::string& q) {
    json body = Json(client.Get("/api/snapshots?" + q, kBearer));
    std::vector<int64_t> out;
    for (const json& item : body["items"]) out.push_back(item["id"]);
    return out;
  };
  EXPECT_EQ(list("flag=animal"), std::vector<int64_t>{ids[0]});
  EXPECT_EQ(list("subject=vehicle"), std::vector<int64_t>{ids[1]});
  EXPECT_TRUE(list("flag=fire_or_smoke").empty());
  EXPECT_EQ(list("camera=backyard").size(), 3u);
  auto bad = client.Get("/api/snapshots?flag=a%20b", kBearer);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad)["code"], "InvalidQuery");

  // Timeline: two alerts, newest first.
  alerts::AlertsConfig config;
  config.rules = {{.name = "all", .cooldown_s = 0}};
  alerts::AlertHub hub(config, app.outbox(), {});
  for (int64_t id : {ids[0], ids[1]}) {
    alerts::AlertEvent e{
        .camera = "backyard", .snapshot_id = id, .at_ms = id * 1000};
    ASSERT_EQ(hub.OnReport(e)->size(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  json alerts = Json(client.Get("/api/alerts?limit=10", kBearer));
  ASSERT_EQ(alerts["items"].size(), 2u);
  EXPECT_EQ(alerts["items"][0]["snapshot_id"], ids[1]);
  EXPECT_EQ(alerts["items"][0]["notification"]["rule"], "all");
  EXPECT_EQ(Json(client.Get("/api/alerts?limit=0", kBearer))["code"],
            "InvalidQuery");
  EXPECT_EQ(client.Get("/api/alerts")->status, 401);
}

}  // namespace
}  // namespace vigil::web::testing
