// SPDX-License-Identifier: Apache-2.0
// Rule matching (windows, any/all, subjects, cameras) and the hub's
// cooldown, de-duplication and motion -> report updates on a real outbox.
#include "alerts/rules.h"

#include <gtest/gtest.h>

#include "alerts/hub.h"
#include "tests/alerts/alerts_fixture.h"

namespace vigil::alerts {
namespace {

using testing::Motion;
using testing::Report;

constexpr int H = 60;  // minutes per hour

TEST(RulesTest, WindowsIncludingMidnightCrossing) {
  const TimeWindow day{8 * H, 18 * H};
  EXPECT_TRUE(InWindow(day, 8 * H));
  EXPECT_TRUE(InWindow(day, 18 * H - 1));
  EXPECT_FALSE(InWindow(day, 18 * H));
  EXPECT_FALSE(InWindow(day, 7 * H + 59));
  const TimeWindow night{22 * H, 6 * H};
  EXPECT_TRUE(InWindow(night, 22 * H));
  EXPECT_TRUE(InWindow(night, 23 * H + 30));
  EXPECT_TRUE(InWindow(night, 0));
  EXPECT_TRUE(InWindow(night, 6 * H - 1));
  EXPECT_FALSE(InWindow(night, 6 * H));
  EXPECT_FALSE(InWindow(night, 12 * H));
  EXPECT_TRUE(InWindow(TimeWindow{0, 0}, 12 * H));  // all day
}

TEST(RulesTest, LocalMinuteFollowsTz) {
  setenv("TZ", "UTC", 1);
  tzset();
  // 2026-01-02 03:04:05 UTC
  EXPECT_EQ(LocalMinuteOfDay(1767323045000), 3 * H + 4);
  setenv("TZ", "Asia/Kolkata", 1);  // UTC+05:30, no DST
  tzset();
  EXPECT_EQ(LocalMinuteOfDay(1767323045000), 8 * H + 34);
  unsetenv("TZ");
  tzset();
}

TEST(RulesTest, FlagsAnyAllSubjectsAndCameras) {
  AlertRule any{.name = "r", .flags = {"person_at_door", "animal"}};
  AlertRule all = any;
  all.flag_match = FlagMatch::kAll;
  const AlertEvent person = Report("porch", 1, 0, {"person_at_door"});
  const AlertEvent both = Report("porch", 1, 0, {"animal", "person_at_door"});
  const AlertEvent none = Report("porch", 1, 0, {});
  EXPECT_TRUE(RuleMatches(any, person, 0));
  EXPECT_TRUE(RuleMatches(any, both, 0));
  EXPECT_FALSE(RuleMatches(any, none, 0));
  EXPECT_FALSE(RuleMatches(all, person, 0));
  EXPECT_TRUE(RuleMatches(all, both, 0));

  AlertRule vehicles{.name = "v", .subject_kinds = {"vehicle", "package"}};
  EXPECT_TRUE(RuleMatches(vehicles, Report("c", 1, 0, {}, {"package"}), 0));
  EXPECT_FALSE(RuleMatches(vehicles, Report("c", 1, 0, {}, {"person"}), 0));

  AlertRule porch_only{.name = "p", .cameras = {"porch"}};
  EXPECT_TRUE(RuleMatches(porch_only, none, 0));
  EXPECT_FALSE(RuleMatches(porch_only, Report("yard", 1, 0, {}), 0));

  AlertRule nights{.name = "n", .windows = {{22 * H, 6 * H}}};
  EXPECT_TRUE(RuleMatches(nights, none, 23 * H));
  EXPECT_FALSE(RuleMatches(nights, none, 12 * H));
}

TEST(RulesTest, MotionMatchesOnlyOnMotionRulesAndIgnoresFlags) {
  AlertRule flagged{.name = "f", .flags = {"person_at_door"}};
  EXPECT_FALSE(RuleMatches(flagged, Motion("porch", 1, 0), 0));
  flagged.on_motion = true;
  EXPECT_TRUE(RuleMatches(flagged, Motion("porch", 1, 0), 0));
}

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto outbox = store::Outbox::Open(dir_.path() / "index.sqlite");
    ASSERT_TRUE(outbox.ok()) << outbox.status().ToString();
    outbox_ = std::move(*outbox);
  }
  AlertHub MakeHub(std::vector<AlertRule> rules) {
    AlertsConfig config;
    config.rules = std::move(rules);
    config.notifiers = {{.name = "hook", .url = "http://127.0.0.1:9/x"}};
    config.base_url = "http://vigil.local";
    EXPECT_TRUE(Validate(config).ok()) << Validate(config).ToString();
    return AlertHub(config, *outbox_,
                    {.local_minute = [this](int64_t) { return minute_; },
                     .on_enqueued = [this] { ++wakes_; },
                     .bus = &bus_});
  }
  size_t PendingRows() { return outbox_->Pending(1000)->size(); }

  testing::TempDir dir_;
  std::unique_ptr<store::Outbox> outbox_;
  EventBus bus_;
  int minute_ = 12 * H;
  int wakes_ = 0;
};

TEST_F(HubTest, CooldownPerRuleAndCameraAndDuplicates) {
  AlertHub hub = MakeHub(
      {{.name = "door", .flags = {"person_at_door"}, .cooldown_s = 60}});
  auto first = hub.OnReport(Report("porch", 1, 1'000'000, {"person_at_door"}));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].revision, 1);
  EXPECT_EQ((*first)[0].image_url, "http://vigil.local/api/snapshots/1/image");
  // Same report again: de-duplicated.
  EXPECT_TRUE(
      hub.OnReport(Report("porch", 1, 1'000'000, {"person_at_door"}))->empty());
  // Another snapshot inside the cooldown: suppressed; another camera: not.
  EXPECT_TRUE(
      hub.OnReport(Report("porch", 2, 1'030'000, {"person_at_door"}))->empty());
  EXPECT_EQ(
      hub.OnReport(Report("yard", 3, 1'030'000, {"person_at_door"}))->size(),
      1u);
  // After the cooldown: a new alert with a new event id.
  auto later = hub.OnReport(Report("porch", 4, 1'061'000, {"person_at_door"}));
  ASSERT_EQ(later->size(), 1u);
  EXPECT_NE((*later)[0].event_id, (*first)[0].event_id);
  EXPECT_EQ(PendingRows(), 3u);
  EXPECT_EQ(wakes_, 3);
  EXPECT_EQ(bus_.last_id(), 3u);
  // Not matching: no flag.
  EXPECT_TRUE(hub.OnReport(Report("garage", 5, 2'000'000, {}))->empty());
}

TEST_F(HubTest, MotionFiresFirstAndTheReportUpdatesTheSameAlert) {
  AlertHub hub = MakeHub(
      {{.name = "door", .flags = {"person_at_door"}, .on_motion = true}});
  auto motion = hub.OnMotion(Motion("porch", 7, 5'000'000));
  ASSERT_TRUE(motion.ok());
  ASSERT_EQ(motion->size(), 1u);
  EXPECT_EQ((*motion)[0].stage, "motion");
  // Motion again for the same snapshot: nothing new.
  EXPECT_TRUE(hub.OnMotion(Motion("porch", 7, 5'000'000))->empty());
  auto report = hub.OnReport(Report("porch", 7, 5'000'000, {"person_at_door"}));
  ASSERT_EQ(report->size(), 1u);
  EXPECT_EQ((*report)[0].event_id, (*motion)[0].event_id);
  EXPECT_EQ((*report)[0].revision, 2);
  EXPECT_EQ((*report)[0].stage, "report");
  EXPECT_EQ((*report)[0].message, "A porch. Someone waits.");
  auto alert = outbox_->GetAlert((*motion)[0].event_id);
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->revision, 2);
  EXPECT_EQ(alert->stage, "report");
  EXPECT_EQ(PendingRows(), 2u);  // revision 1 and 2 for "hook"
}

TEST_F(HubTest, TimeWindowGatesAlerts) {
  AlertHub hub = MakeHub({{.name = "night", .windows = {{22 * H, 6 * H}}}});
  minute_ = 12 * H;
  EXPECT_TRUE(hub.OnReport(Report("yard", 1, 0, {}))->empty());
  minute_ = 2 * H;
  EXPECT_EQ(hub.OnReport(Report("yard", 2, 0, {}))->size(), 1u);
}

TEST(AlertsConfigTest, ValidationNamesTheField) {
  AlertsConfig c;
  c.notifiers = {{.name = "hook", .url = "ftp://x"}};
  EXPECT_NE(Validate(c).message().find("alerts.notifiers.hook.url"),
            std::string::npos);
  c.notifiers = {{.name = "hook", .url = "http://x"}};
  c.rules = {{.name = "r", .flags = {"dragon"}}};
  EXPECT_NE(Validate(c).message().find("unknown flag 'dragon'"),
            std::string::npos);
  c.rules = {{.name = "r", .notifiers = {"phone"}}};
  EXPECT_NE(Validate(c).message().find("unknown notifier 'phone'"),
            std::string::npos);
  c.rules = {{.name = "r", .priority = 9}};
  EXPECT_NE(Validate(c).message().find("priority"), std::string::npos);
  c.rules = {{.name = "r"}, {.name = "r"}};
  EXPECT_NE(Validate(c).message().find("duplicate"), std::string::npos);
  c.rules = {{.name = "r"}};
  EXPECT_TRUE(Validate(c).ok());
}

TEST(NotificationJsonTest, RoundTrips) {
  Notification n{.event_id = "abc",
                 .revision = 2,
                 .stage = "report",
                 .rule = "door",
                 .camera = "porch",
                 .snapshot_id = 9,
                 .at_ms = 123,
                 .flags = {"animal"},
                 .subject_kinds = {"animal"},
                 .report_json = "{\"scene\":\"x\"}",
                 .image_url = "/i",
                 .title = "t",
                 .message = "m",
                 .priority = 5};
  Notification back;
  ASSERT_TRUE(FromJson(ToJson(n), &back));
  EXPECT_EQ(back.event_id, "abc");
  EXPECT_EQ(back.revision, 2);
  EXPECT_EQ(back.report_json, "{\"scene\":\"x\"}");
  EXPECT_EQ(back.priority, 5);
  EXPECT_FALSE(FromJson("[1]", &back));
  EXPECT_FALSE(FromJson("{\"event_id\": 3}", &back));
  EXPECT_FALSE(FromJson("not json", &back));
}

}  // namespace
}  // namespace vigil::alerts
