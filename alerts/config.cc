// SPDX-License-Identifier: Apache-2.0
// Cross-field validation of the `alerts:` section.
#include "alerts/config.h"

#include <cctype>
#include <set>

namespace vigil::alerts {
namespace {

std::string Join(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none)" : out;
}

// Names end up in MQTT topics and ntfy headers: keep them plain.
bool PlainName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

Status ValidateNotifier(const NotifierConfig& n) {
  const std::string at = "alerts.notifiers." + n.name;
  if (!PlainName(n.name)) {
    return InvalidArgument(at + ": name must be 1-64 of [A-Za-z0-9_-]");
  }
  if (n.kind == NotifierKind::kMqtt) {
    if (n.host.empty()) return InvalidArgument(at + ".host: must be set");
    if (n.port < 1 || n.port > 65535) {
      return InvalidArgument(at + ".port: must be in [1, 65535], got " +
                             std::to_string(n.port));
    }
    if (n.topic_prefix.empty() ||
        n.topic_prefix.find_first_of("+#") != std::string::npos) {
      return InvalidArgument(at +
                             ".topic_prefix: must be a topic without "
                             "wildcards, got '" +
                             n.topic_prefix + "'");
    }
  } else if (n.url.rfind("http://", 0) != 0 &&
             n.url.rfind("https://", 0) != 0) {
    return InvalidArgument(at +
                           ".url: must start with http:// or https://, "
                           "got '" +
                           n.url + "'");
  }
  if (n.timeout_s < 1 || n.timeout_s > 300) {
    return InvalidArgument(at + ".timeout_s: must be in [1, 300], got " +
                           std::to_string(n.timeout_s));
  }
  return OkStatus();
}

Status ValidateRule(const AlertRule& r, const std::set<std::string>& notifiers,
                    const std::set<std::string>& vocabulary) {
  const std::string at = "alerts.rules." + r.name;
  if (!PlainName(r.name)) {
    return InvalidArgument(at + ": name must be 1-64 of [A-Za-z0-9_-]");
  }
  for (const std::string& f : r.flags) {
    if (!vocabulary.count(f)) {
      return InvalidArgument(at + ".flags: unknown flag '" + f +
                             "'; known: " + Join(vocabulary));
    }
  }
  for (const std::string& n : r.notifiers) {
    if (!notifiers.count(n)) {
      return InvalidArgument(at + ".notifiers: unknown notifier '" + n +
                             "'; known: " + Join(notifiers));
    }
  }
  for (const TimeWindow& w : r.windows) {
    if (w.start_min < 0 || w.start_min >= 1440 || w.end_min < 0 ||
        w.end_min > 1440) {
      return InvalidArgument(at + ".windows: times must be within a day");
    }
  }
  if (r.cooldown_s < 0 || r.cooldown_s > 7 * 86400) {
    return InvalidArgument(at + ".cooldown_s: must be in [0, 604800], got " +
                           std::to_string(r.cooldown_s));
  }
  if (r.priority < 1 || r.priority > 5) {
    return InvalidArgument(at + ".priority: must be in [1, 5], got " +
                           std::to_string(r.priority));
  }
  return OkStatus();
}

}  // namespace

const char* NotifierKindName(NotifierKind kind) {
  switch (kind) {
    case NotifierKind::kMqtt:
      return "mqtt";
    case NotifierKind::kNtfy:
      return "ntfy";
    default:
      return "webhook";
  }
}

Status Validate(const AlertsConfig& c) {
  std::set<std::string> notifiers;
  for (const NotifierConfig& n : c.notifiers) {
    VIGIL_RETURN_IF_ERROR(ValidateNotifier(n));
    if (!notifiers.insert(n.name).second) {
      return InvalidArgument("alerts.notifiers." + n.name + ": duplicate name");
    }
  }
  std::set<std::string> vocabulary;
  for (const std::string& f : c.flag_vocabulary) {
    if (!PlainName(f)) {
      return InvalidArgument("alerts.flag_vocabulary: '" + f +
                             "' must be 1-64 of [A-Za-z0-9_-]");
    }
    vocabulary.insert(f);
  }
  std::set<std::string> rules;
  for (const AlertRule& r : c.rules) {
    VIGIL_RETURN_IF_ERROR(ValidateRule(r, notifiers, vocabulary));
    if (!rules.insert(r.name).second) {
      return InvalidArgument("alerts.rules." + r.name + ": duplicate name");
    }
  }
  if (c.retry_initial_s <= 0 || c.retry_max_s < c.retry_initial_s) {
    return InvalidArgument(
        "alerts.retry: need 0 < retry_initial_s <= "
        "retry_max_s");
  }
  return OkStatus();
}

}  // namespace vigil::alerts
