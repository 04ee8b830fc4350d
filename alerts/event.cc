// SPDX-License-Identifier: Apache-2.0
// Notification <-> JSON (the outbox payload and the webhook body).
#include "alerts/event.h"

#include <nlohmann/json.hpp>

namespace vigil::alerts {

using nlohmann::json;

const char* EventKindName(EventKind kind) {
  return kind == EventKind::kReport ? "report" : "motion";
}

std::string ToJson(const Notification& n) {
  json j = {{"event_id", n.event_id},
            {"revision", n.revision},
            {"stage", n.stage},
            {"rule", n.rule},
            {"camera", n.camera},
            {"snapshot_id", n.snapshot_id},
            {"at_ms", n.at_ms},
            {"flags", n.flags},
            {"subjects", n.subject_kinds},
            {"image_url", n.image_url},
            {"title", n.title},
            {"message", n.message},
            {"priority", n.priority}};
  j["report"] = nullptr;
  if (n.report_json) {
    json report = json::parse(*n.report_json, nullptr, /*allow_exceptions=*/
                              false);
    // A report that is not JSON is passed along as text, never dropped.
    j["report"] = report.is_discarded() ? json(*n.report_json) : report;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool FromJson(const std::string& text, Notification* out) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  try {
    Notification n;
    n.event_id = j.at("event_id").get<std::string>();
    n.revision = j.at("revision").get<int32_t>();
    n.stage = j.at("stage").get<std::string>();
    n.rule = j.at("rule").get<std::string>();
    n.camera = j.at("camera").get<std::string>();
    n.snapshot_id = j.at("snapshot_id").get<int64_t>();
    n.at_ms = j.at("at_ms").get<int64_t>();
    n.flags = j.at("flags").get<std::vector<std::string>>();
    n.subject_kinds = j.at("subjects").get<std::vector<std::string>>();
    n.image_url = j.at("image_url").get<std::string>();
    n.title = j.at("title").get<std::string>();
    n.message = j.at("message").get<std::string>();
    n.priority = j.value("priority", 3);
    const json& report = j.at("report");
    if (!report.is_null()) {
      n.report_json =
          report.is_string() ? report.get<std::string>() : report.dump();
    }
    *out = std::move(n);
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

}  // namespace vigil::alerts
