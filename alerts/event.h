// SPDX-License-Identifier: Apache-2.0
// An alert-worthy event as the analysis side reports it to `AlertHub`, and
// the notification every notifier delivers (one per alert revision).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::alerts {

enum class EventKind {
  kMotion,  // motion detected: fast, only the snapshot is known
  kReport,  // the model's report is ready: flags, subjects, text
  kSentinel,
};
inline bool EventKindValid(EventKind k) {
  return static_cast<int>(k) >= 0 && k < EventKind::kSentinel;
}
// Returns "motion" or "report".
const char* EventKindName(EventKind kind);

struct AlertEvent {
  std::string camera;
  int64_t snapshot_id = 0;
  int64_t at_ms = 0;  // capture time, UTC epoch milliseconds
  EventKind kind = EventKind::kMotion;
  std::vector<std::string> flags;          // report flags (vocabulary)
  std::vector<std::string> subject_kinds;  // person, vehicle, animal, ...
  // The report object as JSON text ({scene, subjects, activity, flags}).
  std::optional<std::string> report_json;
};

// What a receiver gets. Serialized into the outbox (`ToJson`), so a
// restart delivers exactly what was decided before it.
struct Notification {
  std::string event_id;  // stable across revisions: the idempotency key
  int32_t revision = 1;  // 1 at first firing, +1 per update
  std::string stage;     // "motion" | "report"
  std::string rule;
  std::string camera;
  int64_t snapshot_id = 0;
  int64_t at_ms = 0;
  std::vector<std::string> flags;
  std::vector<std::string> subject_kinds;
  std::optional<std::string> report_json;
  std::string image_url;  // absolute when `base_url` is configured
  std::string title;      // short human text ("Person at door: porch")
  std::string message;    // the report's scene/activity, or "Motion ..."
  int32_t priority = 3;   // the rule's, 1 (min) .. 5 (urgent)
};

// Returns the notification as a JSON object (report embedded as an object).
std::string ToJson(const Notification& n);
// Parses `ToJson` output; false when `json` is not such an object.
bool FromJson(const std::string& json, Notification* out);

}  // namespace vigil::alerts
