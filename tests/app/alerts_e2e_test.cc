// SPDX-License-Identifier: Apache-2.0
// Alerts end to end through the real `vigil serve` binary: a local camera
// whose scene the test changes, the tiny random models making reports, an
// on-motion rule and a webhook receiver that fails the first attempts. The
// alert arrives once per revision ("fast first, rich later": the motion
// alert, then its report update under the same event id), also when vigil
// is stopped (SIGTERM or SIGKILL) while the receiver is down and restarted
// on the same data dir once it is back.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/app/alerts_e2e.h"
#include "tests/app/api_client.h"
#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::map<std::string, std::string> kEnv = {
    {"VIGIL_TEST_WEB_PASS", kAlertsWebPass},
    {"VIGIL_TEST_TOKEN", kAlertsToken}};

// One POST the receiver saw and what it answered.
struct Attempt {
  std::string event_id;  // X-Vigil-Event-Id
  int revision = 0;      // X-Vigil-Revision
  std::string idempotency_key;
  int status = 0;
  json body;
};

// A webhook receiver that answers 500 to the first `fail_first` POSTs and
// to every POST while down, 200 otherwise; it records every attempt.
class HookReceiver {
 public:
  explicit HookReceiver(int fail_first) : fail_left_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req,
                                 httplib::Response& res) {
      std::lock_guard lock(mu_);
      Attempt a{.event_id = req.get_header_value("X-Vigil-Event-Id"),
                .revision = std::atoi(
                    req.get_header_value("X-Vigil-Revision").c_str()),
                .idempotency_key = req.get_header_value("Idempotency-Key"),
                .status = 200,
                .body = json::parse(req.body, nullptr, false)};
      if (down_ || fail_left_ > 0) {
        a.status = 500;
        fail_left_ = std::max(0, fail_left_ - 1);
      }
      res.status = a.status;
      res.set_content(a.status == 200 ? "{}" : "busy", "text/plain");
      attempts_.push_back(std::move(a));
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    WaitUntil([this] { return server_.is_running(); }, seconds(5));
  }
  ~HookReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
  }
  void SetDown(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }
  std::vector<Attempt> attempts() const {
    std::lock_guard lock(mu_);
    return attempts_;
  }
  // The attempts answered with 200 (the deliveries).
  std::vector<Attempt> delivered() const {
    std::vector<Attempt> out;
    for (Attempt& a : attempts()) {
      if (a.status == 200) out.push_back(std::move(a));
    }
    return out;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  int fail_left_ = 0;
  bool down_ = false;
  std::vector<Attempt> attempts_;
};

// Checks the deliveries of one alert: exactly one per revision, the motion
// alert first (no report yet), then its report update, same event id.
void ExpectMotionThenReport(const std::vector<Attempt>& delivered) {
  ASSERT_EQ(delivered.size(), 2u);
  const Attempt& motion = delivered[0];
  const Attempt& report = delivered[1];
  EXPECT_EQ(motion.event_id.size(), 16u);
  EXPECT_EQ(report.event_id, motion.event_id);
  EXPECT_EQ(motion.revision, 1);
  EXPECT_EQ(report.revision, 2);
  EXPECT_EQ(motion.idempotency_key, motion.event_id + "-1");
  EXPECT_EQ(report.idempotency_key, motion.event_id + "-2");
  ASSERT_TRUE(motion.body.is_object());
  ASSERT_TRUE(report.body.is_object());
  EXPECT_EQ(motion.body["event_id"], motion.event_id);
  EXPECT_EQ(motion.body["stage"], "motion");
  EXPECT_TRUE(motion.body["report"].is_null());
  EXPECT_EQ(report.body["event_id"], motion.event_id);
  EXPECT_EQ(report.body["stage"], "report");
  EXPECT_EQ(report.body["rule"], "door_motion");
  EXPECT_EQ(report.body["camera"], "door");
  EXPECT_EQ(report.body["snapshot_id"], motion.body["snapshot_id"]);
  const json& r = report.body["report"];
  ASSERT_TRUE(r.is_object()) << report.body.dump();
  for (const char* key : {"scene", "subjects", "activity", "flags"}) {
    EXPECT_TRUE(r.contains(key)) << key << " in " << r.dump();
  }
}

class AlertsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("alerts_e2e");
    cfg_ = dir_ / "vigil.yaml";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteConfig(const SceneCamera& cam, const HookReceiver& hook) {
    std::ofstream(cfg_) << AlertsConfig(
        dir_ / "data", cam,
        "    hook: {type: webhook, url: " + hook.url() + ", timeout_s: 2}\n");
  }
  // Lets the camera's background settle on the still scene, then walks a
  // "person" in: one motion event.
  void MakeMotion(SceneCamera& cam) {
    const int start = cam.served();
    ASSERT_TRUE(WaitUntil([&] { return cam.served() >= start + 4; },
                          seconds(20)));
    cam.SetScene(1);
  }

  fs::path dir_, cfg_;
};

TEST_F(AlertsE2eTest, RetriedAlertArrivesOncePerRevision) {
  SceneCamera cam;
  HookReceiver hook(/*fail_first=*/3);
  WriteConfig(cam, hook);
  VigilProcess vigil({"serve", "--config", cfg_.string()}, dir_, kEnv);
  ASSERT_GT(WaitForPort(vigil), 0) << vigil.Stderr();
  MakeMotion(cam);
  ASSERT_TRUE(WaitUntil(
      [&] {
        for (const Attempt& a : hook.delivered()) {
          if (a.revision == 2) return true;
        }
        return false;
      },
      seconds(45)))
      << vigil.Stderr();
  std::this_thread::sleep_for(milliseconds(1500));  // no late duplicates
  const std::vector<Attempt> all = hook.attempts();
  EXPECT_GE(all.size(), 5u);  // 3 refused + 2 deliveries
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(all[i].status, 500);
    EXPECT_EQ(all[i].revision, 1);  // revisions go out in order
  }
  ExpectMotionThenReport(hook.delivered());
  EXPECT_NE(vigil.Stderr().find("retrying"), std::string::npos);
  EXPECT_EQ(vigil.Signal(SIGTERM, seconds(20)), 0) << vigil.Stderr();
}

class AlertsRestartTest : public AlertsE2eTest,
                          public ::testing::WithParamInterface<int> {};

TEST_P(AlertsRestartTest, OutboxedAlertIsDeliveredOnceAfterRestart) {
  SceneCamera cam;
  HookReceiver hook(/*fail_first=*/0);
  hook.SetDown(true);
  WriteConfig(cam, hook);
  std::string event_id;
  {
    VigilProcess vigil({"serve", "--config", cfg_.string()}, dir_, kEnv);
    const int port = WaitForPort(vigil);
    ASSERT_GT(port, 0) << vigil.Stderr();
    MakeMotion(cam);
    ApiClient api(port);
    api.UseToken(kAlertsToken);
    // Both revisions are in the outbox (the timeline shows revision 2).
    ASSERT_TRUE(WaitUntil(
        [&] {
          json j = api.GetJson("/api/alerts?camera=door");
          if (!j.is_object() || j["items"].size() != 1) return false;
          event_id = j["items"][0]["id"];
          return j["items"][0]["revision"] == 2;
        },
        seconds(45)))
        << vigil.Stderr();
    ASSERT_TRUE(WaitUntil([&] { return hook.attempts().size() >= 2; },
                          seconds(10)));
    EXPECT_TRUE(hook.delivered().empty());
    const int sig = GetParam();
    const std::optional<int> code = vigil.Signal(sig, seconds(20));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, sig == SIGTERM ? 0 : 128 + sig) << vigil.Stderr();
  }
  hook.SetDown(false);
  VigilProcess again({"serve", "--config", cfg_.string()}, dir_, kEnv,
                     "again");
  ASSERT_GT(WaitForPort(again), 0) << again.Stderr();
  ASSERT_TRUE(WaitUntil([&] { return hook.delivered().size() >= 2; },
                        seconds(30)))
      << again.Stderr();
  std::this_thread::sleep_for(milliseconds(1500));  // no late duplicates
  const std::vector<Attempt> delivered = hook.delivered();
  ExpectMotionThenReport(delivered);
  EXPECT_EQ(delivered[0].event_id, event_id);
  EXPECT_EQ(again.Signal(SIGTERM, seconds(20)), 0) << again.Stderr();
}

INSTANTIATE_TEST_SUITE_P(StopSignal, AlertsRestartTest,
                         ::testing::Values(SIGTERM, SIGKILL),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == SIGTERM ? "Sigterm"
                                                        : "Sigkill";
                         });

}  // namespace
}  // namespace vigil::testing
