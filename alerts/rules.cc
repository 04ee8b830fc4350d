// SPDX-License-Identifier: Apache-2.0
#include "alerts/rules.h"

#include <time.h>

#include <algorithm>
#include <string>
#include <vector>

namespace vigil::alerts {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool FlagsMatch(const AlertRule& rule, const AlertEvent& event) {
  if (rule.flags.empty()) return true;
  if (rule.flag_match == FlagMatch::kAll) {
    return std::all_of(
        rule.flags.begin(), rule.flags.end(),
        [&](const std::string& f) { return Contains(event.flags, f); });
  }
  return std::any_of(
      rule.flags.begin(), rule.flags.end(),
      [&](const std::string& f) { return Contains(event.flags, f); });
}

bool SubjectsMatch(const AlertRule& rule, const AlertEvent& event) {
  if (rule.subject_kinds.empty()) return true;
  return std::any_of(
      rule.subject_kinds.begin(), rule.subject_kinds.end(),
      [&](const std::string& k) { return Contains(event.subject_kinds, k); });
}

}  // namespace

int LocalMinuteOfDay(int64_t at_ms) {
  const time_t t = static_cast<time_t>(at_ms / 1000);
  struct tm local {};
  localtime_r(&t, &local);
  return local.tm_hour * 60 + local.tm_min;
}

bool InWindow(const TimeWindow& w, int minute) {
  if (w.start_min == w.end_min) return true;  // 00:00-00:00: all day
  if (w.start_min < w.end_min) {
    return minute >= w.start_min && minute < w.end_min;
  }
  return minute >= w.start_min || minute < w.end_min;  // crosses midnight
}

bool RuleMatches(const AlertRule& rule, const AlertEvent& event, int minute) {
  if (!rule.cameras.empty() && !Contains(rule.cameras, event.camera)) {
    return false;
  }
  if (!rule.windows.empty() &&
      std::none_of(rule.windows.begin(), rule.windows.end(),
                   [&](const TimeWindow& w) { return InWindow(w, minute); })) {
    return false;
  }
  if (event.kind == EventKind::kMotion) return rule.on_motion;
  return FlagsMatch(rule, event) && SubjectsMatch(rule, event);
}

}  // namespace vigil::alerts
