// SPDX-License-Identifier: Apache-2.0
// JSON adapters for the API; catches every nlohmann::json exception.
#include "web/api_json.h"

#include <chrono>

namespace vigil::web {
namespace {

using nlohmann::json;

int64_t ToMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             t.time_since_epoch())
      .count();
}

json OptionalMs(
    const std::optional<std::chrono::system_clock::time_point>& t) {
  return t ? json(ToMs(*t)) : json(nullptr);
}

int Depth(const json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const json& child : value) deepest = std::max(deepest, Depth(child));
  return deepest + 1;
}

}  // namespace

std::string DumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<json> ParseJsonObject(std::string_view body) {
  json value;
  try {
    value = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("request body is not valid JSON: ") +
                           e.what());
  }
  if (!value.is_object()) {
    return InvalidArgument("request body must be a JSON object");
  }
  if (Depth(value) > 8) {
    return InvalidArgument("request body nests deeper than 8 levels");
  }
  return value;
}

std::string ErrorJson(std::string_view code, std::string_view message) {
  return DumpJson(json{{"code", code}, {"message", message}});
}

// The latest report as an object (text when it is not JSON), and its flags
// for the gallery tiles.
void AddReport(const store::SnapshotRecord& r, json& out) {
  out["report"] = nullptr;
  out["flags"] = json::array();
  if (!r.report_json) return;
  json report = json::parse(*r.report_json, nullptr, false);
  if (report.is_discarded()) {
    out["report"] = *r.report_json;
    return;
  }
  out["report"] = report;
  if (report.is_object() && report.contains("flags") &&
      report["flags"].is_array()) {
    for (const json& f : report["flags"]) {
      if (f.is_string()) out["flags"].push_back(f);
    }
  }
}

json SnapshotJson(const store::SnapshotRecord& r) {
  const std::string base = "/api/snapshots/" + std::to_string(r.id);
  json out{{"id", r.id},
              {"camera", r.camera},
              {"captured_at_ms", r.captured_at_ms},
              {"path", r.rel_path},
              {"size_bytes", r.size_bytes},
              {"width", r.width},
              {"height", r.height},
              {"kept", r.kept},
              {"image_url", base + "/image"},
              {"thumbnail_url", base + "/thumbnail"},
              {"audio", r.audio_ms.has_value()}};
  if (r.audio_ms) {  // the clip recorded beside the snapshot (issue 5)
    out["audio_ms"] = *r.audio_ms;
    out["audio_url"] = base + "/audio";
  }
  AddReport(r, out);
  return out;
}

json SnapshotPageJson(const store::SnapshotPage& page) {
  json items = json::array();
  for (const store::SnapshotRecord& r : page.items) {
    items.push_back(SnapshotJson(r));
  }
  return json{{"items", std::move(items)},
              {"next_cursor",
               page.next_cursor ? json(*page.next_cursor) : json(nullptr)}};
}

json CameraJson(const capture::CameraStatus* s,
                const store::CameraStats* stats, std::string_view name) {
  json out{{"name", name}, {"configured", s != nullptr}};
  if (s != nullptr) {
    out["kind"] = capture::SourceKindName(s->kind);
    out["description"] = s->description;
    out["enabled"] = s->enabled;
    out["online"] = s->online;
    out["last_error"] = s->last_error;
    out["last_error_code"] = s->last_error_code == StatusCode::kOk
                                 ? json(nullptr)
                                 : json(StatusCodeName(s->last_error_code));
    out["last_snapshot_id"] =
        s->last_snapshot_id ? json(*s->last_snapshot_id) : json(nullptr);
    out["last_snapshot_ms"] = OptionalMs(s->last_snapshot_time);
    out["last_attempt_ms"] = OptionalMs(s->last_attempt);
    out["next_attempt_ms"] = OptionalMs(s->next_attempt);
    out["consecutive_failures"] = s->consecutive_failures;
    out["captures_total"] = s->captures_total;
    out["failures_total"] = s->failures_total;
    out["interval_s"] = s->interval_s;
  }
  out["snapshot_count"] = stats ? stats->count : 0;
  out["snapshot_bytes"] = stats ? stats->bytes : 0;
  out["newest_ms"] = stats && stats->count ? json(stats->newest_ms)
                                           : json(nullptr);
  out["oldest_ms"] = stats && stats->count ? json(stats->oldest_ms)
                                           : json(nullptr);
  return out;
}

Result<bool> ParseKeepBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return true;
  }
  VIGIL_ASSIGN_OR_RETURN(json value, ParseJsonObject(body));
  const auto it = value.find("kept");
  if (it == value.end() || !it->is_boolean() || value.size() != 1) {
    return InvalidArgument("body must be {\"kept\": true|false}");
  }
  return it->get<bool>();
}

Result<std::string> ParseLoginBody(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(json value, ParseJsonObject(body));
  const auto it = value.find("password");
  if (it == value.end() || !it->is_string()) {
    return InvalidArgument("body must be {\"password\": \"...\"}");
  }
  std::string password = it->get<std::string>();
  if (password.size() > 1024) {
    return InvalidArgument("password longer than 1024 bytes");
  }
  return password;
}

}  // namespace vigil::web
