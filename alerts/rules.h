// SPDX-License-Identifier: Apache-2.0
// Rule matching: pure functions of (rule, event, local time). Cooldown and
// de-duplication state lives in `AlertHub`.
#pragma once

#include <cstdint>

#include "alerts/config.h"
#include "alerts/event.h"

namespace vigil::alerts {

// Returns minutes after local midnight of `at_ms` (UTC epoch ms), using the
// process time zone (TZ), as users write windows in their wall-clock time.
int LocalMinuteOfDay(int64_t at_ms);

// Returns whether `minute` lies in [start, end), wrapping past midnight
// when end <= start (22:00-06:00 holds 23:30 and 05:59, not 06:00).
bool InWindow(const TimeWindow& window, int minute);

// Returns whether `rule` wants `event`: camera listed (or none listed),
// `minute` (local) inside a window (or none configured) and, for reports,
// the flags (any/all) and subject kinds match. A motion event matches only
// `on_motion` rules, and never on flags (nothing is known yet).
bool RuleMatches(const AlertRule& rule, const AlertEvent& event, int minute);

}  // namespace vigil::alerts
