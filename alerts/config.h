// SPDX-License-Identifier: Apache-2.0
// The `alerts:` configuration as plain data: rules (which events become
// alerts) and notifiers (where they go). app/config/alerts_section.cc fills
// it from YAML; `Validate` checks what YAML types cannot.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::alerts {

// A local time-of-day window [start, end) in minutes after midnight; when
// `end_min <= start_min` it crosses midnight (22:00-06:00).
struct TimeWindow {
  int start_min = 0;
  int end_min = 24 * 60;
};

enum class FlagMatch { kAny, kAll, kSentinel };

struct AlertRule {
  std::string name;
  std::vector<std::string> cameras;  // empty: every camera
  std::vector<std::string> flags;    // empty: flags do not matter
  FlagMatch flag_match = FlagMatch::kAny;
  std::vector<std::string> subject_kinds;  // empty: any (any one matches)
  std::vector<TimeWindow> windows;         // empty: all day
  // After an alert fires for (rule, camera), new alerts are suppressed for
  // this long; reports for the alert's own snapshot still update it.
  int cooldown_s = 300;
  // Fire at motion time (before the report), then update with the report.
  bool on_motion = false;
  std::vector<std::string> notifiers;  // names; empty: all notifiers
  int priority = 3;                    // 1 (min) .. 5 (urgent), for ntfy
};

enum class NotifierKind { kWebhook, kMqtt, kNtfy, kSentinel };
// Returns "webhook", "mqtt" or "ntfy".
const char* NotifierKindName(NotifierKind kind);

struct NotifierConfig {
  std::string name;
  NotifierKind kind = NotifierKind::kWebhook;
  std::string url;  // webhook: endpoint; ntfy: topic URL
  std::map<std::string, std::string> headers;  // webhook extra headers
  std::string token;                           // ntfy: Bearer token
  // MQTT broker.
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string username;
  std::string password;
  std::string client_id = "vigil";
  std::string topic_prefix = "vigil";
  std::string discovery_prefix = "homeassistant";
  int timeout_s = 10;
};

struct AlertsConfig {
  std::vector<AlertRule> rules;
  std::vector<NotifierConfig> notifiers;
  // Prefix of links in notifications ("https://vigil.local:8080"); empty
  // gives relative `/api/snapshots/<id>/image` URLs.
  std::string base_url;
  // The flag vocabulary (MQTT binary sensors; rules must use these).
  std::vector<std::string> flag_vocabulary = {
      "person_at_door", "unknown_vehicle", "package_delivered",
      "animal",         "fire_or_smoke",   "door_or_gate_open",
      "night_activity", "audio_alarm"};
  // Outbox retry backoff: initial delay doubling up to the cap.
  double retry_initial_s = 2;
  double retry_max_s = 600;
};

// Returns kInvalidArgument naming the field ("alerts.rules.door.notifiers:
// unknown notifier 'x'; known: hook, phone") for inconsistent settings.
Status Validate(const AlertsConfig& config);

}  // namespace vigil::alerts
