// SPDX-License-Identifier: Apache-2.0
// The `alerts:` config section: a full passing config, and one failing case
// per rule, each checked for key path, expectation and line number.
#include <gtest/gtest.h>

#include <map>

#include "app/config/load.h"

namespace vigil::app {
namespace {

LoadOptions TestOptions() {
  LoadOptions o;
  o.env = [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> env = {
        {"HOOK_TOKEN", "hook-token-123"}, {"NTFY_TOPIC", "vigil-x7"}};
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  o.hash_iterations = 1000;
  return o;
}

Result<AppConfig> Load(const std::string& yaml) {
  return LoadConfigString(yaml, "config.yaml", "/etc/vigil", TestOptions());
}

void ExpectError(const std::string& yaml,
                 std::initializer_list<std::string> parts) {
  Result<AppConfig> c = Load(yaml);
  ASSERT_FALSE(c.ok()) << yaml;
  for (const std::string& p : parts) {
    EXPECT_NE(c.status().message().find(p), std::string::npos)
        << "missing '" << p << "' in: " << c.status().message();
  }
}

constexpr char kFull[] = R"(alerts:
  base_url: https://vigil.local:8080/
  retry_initial_s: 1
  notifiers:
    phone:
      type: ntfy
      url: https://ntfy.sh/${NTFY_TOPIC}
      token: tk_secret
    ha:
      type: mqtt
      host: 192.168.1.5
      port: 1884
      username: vigil
      password: mqtt-pass
    hook:
      type: webhook
      url: https://example.org/hook
      headers:
        Authorization: Bearer ${HOOK_TOKEN}
  rules:
    door:
      cameras: [porch]
      flags: [person_at_door, package_delivered]
      match: all
      subjects: [person]
      windows: ["22:00-06:00", "12:00-13:30"]
      cooldown_s: 120
      on_motion: true
      notifiers: [phone, ha]
      priority: 5
    anything: {}
)";

TEST(AlertsConfigSectionTest, FullConfigParses) {
  Result<AppConfig> c = Load(kFull);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const alerts::AlertsConfig& a = c->alerts;
  EXPECT_EQ(a.base_url, "https://vigil.local:8080");
  EXPECT_EQ(a.retry_initial_s, 1);
  ASSERT_EQ(a.notifiers.size(), 3u);
  EXPECT_EQ(a.notifiers[0].name, "phone");
  EXPECT_EQ(a.notifiers[0].kind, alerts::NotifierKind::kNtfy);
  EXPECT_EQ(a.notifiers[0].url, "https://ntfy.sh/vigil-x7");
  EXPECT_EQ(a.notifiers[1].kind, alerts::NotifierKind::kMqtt);
  EXPECT_EQ(a.notifiers[1].port, 1884);
  EXPECT_EQ(a.notifiers[2].headers.at("Authorization"),
            "Bearer hook-token-123");
  ASSERT_EQ(a.rules.size(), 2u);
  const alerts::AlertRule& r = a.rules[0];
  EXPECT_EQ(r.name, "door");
  EXPECT_EQ(r.flag_match, alerts::FlagMatch::kAll);
  ASSERT_EQ(r.windows.size(), 2u);
  EXPECT_EQ(r.windows[0].start_min, 22 * 60);
  EXPECT_EQ(r.windows[0].end_min, 6 * 60);
  EXPECT_EQ(r.windows[1].end_min, 13 * 60 + 30);
  EXPECT_TRUE(r.on_motion);
  EXPECT_EQ(r.priority, 5);
  EXPECT_EQ(r.notifiers, (std::vector<std::string>{"phone", "ha"}));
  EXPECT_TRUE(a.rules[1].flags.empty());
}

TEST(AlertsConfigSectionTest, NoSectionMeansNoAlerts) {
  Result<AppConfig> c = Load("logging: {level: warn}\n");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->alerts.rules.empty());
  EXPECT_TRUE(c->alerts.notifiers.empty());
}

TEST(AlertsConfigSectionTest, EachRuleFailsWithPathAndLine) {
  ExpectError("alerts:\n  rulez: {}\n", {"alerts.rulez", "line 2"});
  ExpectError("alerts:\n  notifiers:\n    x: {url: http://a}\n",
              {"alerts.notifiers.x.type", "missing"});
  ExpectError("alerts:\n  notifiers:\n    x: {type: pager}\n",
              {"alerts.notifiers.x.type", "webhook, mqtt, ntfy", "pager"});
  ExpectError(
      "alerts:\n  notifiers:\n    x:\n      type: webhook\n"
      "      url: ftp://a\n",
      {"alerts.notifiers.x.url", "http://"});
  ExpectError("alerts:\n  notifiers:\n    x: {type: mqtt, port: 70000}\n",
              {"alerts.notifiers.x.port", "70000"});
  ExpectError("alerts:\n  notifiers:\n    x: {type: mqtt, colour: red}\n",
              {"alerts.notifiers.x.colour"});
  ExpectError(
      "alerts:\n  rules:\n    r:\n      windows: [\"25:00-06:00\"]\n",
      {"alerts.rules.r.windows", "HH:MM-HH:MM", "25:00-06:00", "line 4"});
  ExpectError("alerts:\n  rules:\n    r: {match: most}\n",
              {"alerts.rules.r.match", "any or all"});
  ExpectError("alerts:\n  rules:\n    r:\n      flags: [dragon]\n",
              {"alerts.rules.r.flags", "unknown flag 'dragon'", "line 4"});
  ExpectError("alerts:\n  rules:\n    r:\n      notifiers: [phone]\n",
              {"alerts.rules.r.notifiers", "unknown notifier 'phone'"});
  ExpectError("alerts:\n  rules:\n    r: {priority: 0}\n",
              {"alerts.rules.r.priority", "[1, 5]"});
  ExpectError("alerts:\n  rules:\n    r: {cooldown_s: -1}\n",
              {"alerts.rules.r.cooldown_s"});
  ExpectError("alerts:\n  base_url: vigil.local\n",
              {"alerts.base_url", "http://"});
  ExpectError("alerts:\n  rules:\n    r: {cooldown_s: soon}\n",
              {"alerts.rules.r.cooldown_s"});
  ExpectError("alerts:\n  retry_initial_s: 0\n", {"retry_initial_s"});
}

}  // namespace
}  // namespace vigil::app
