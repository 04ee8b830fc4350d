// SPDX-License-Identifier: Apache-2.0
// nlohmann::json adapter for reports: its exceptions stop here.
#include "analysis/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace vigil::analysis {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kKindNames[] = {"person", "vehicle", "animal",
                                           "package", "other"};

bool IsFlagName(const std::string& f) {
  if (f.empty() || f.size() > 48) return false;
  return std::all_of(f.begin(), f.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Json StringSchema(int32_t max) {
  return {{"type", "string"}, {"minLength", 1}, {"maxLength", max}};
}

Status Field(const std::string& where, const std::string& what) {
  return InvalidArgument("report " + where + ": " + what);
}

Result<std::string> GetText(const Json& obj, const std::string& key,
                            const std::string& where, int32_t max) {
  if (!obj.contains(key)) return Field(where, "missing '" + key + "'");
  const Json& v = obj[key];
  if (!v.is_string()) return Field(where + key, "must be a string");
  std::string s = v.get<std::string>();
  if (s.empty() || s.size() > size_t(max)) {
    return Field(where + key, "length must be in [1, " + std::to_string(max) +
                                  "], got " + std::to_string(s.size()));
  }
  return s;
}

Status CheckKeys(const Json& obj, const std::string& where,
                 std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return Field(where, "must be an object");
  for (const auto& item : obj.items()) {
    const std::string& k = item.key();
    if (std::find_if(keys.begin(), keys.end(), [&](const char* want) {
          return k == want;
        }) == keys.end()) {
      return Field(where, "unknown key '" + k + "'");
    }
  }
  return OkStatus();
}

Result<Subject> ParseSubject(const Json& j, const std::string& where,
                             const ReportLimits& l) {
  VIGIL_RETURN_IF_ERROR(CheckKeys(j, where, {"kind", "description", "count"}));
  Subject s;
  if (!j.contains("kind") || !j["kind"].is_string()) {
    return Field(where + "kind", "missing or not a string");
  }
  s.kind = ParseSubjectKind(j["kind"].get<std::string>());
  if (!EnumValid(s.kind)) {
    return Field(where + "kind", "unknown kind " + j["kind"].dump());
  }
  VIGIL_ASSIGN_OR_RETURN(s.description, GetText(j, "description", where,
                                                l.description_max_bytes));
  if (!j.contains("count") || !j["count"].is_number_integer()) {
    return Field(where + "count", "missing or not an integer");
  }
  const int64_t c = j["count"].get<int64_t>();
  if (c < 1 || c > l.max_count) {
    return Field(where + "count", "must be in [1, " +
                                      std::to_string(l.max_count) + "], got " +
                                      std::to_string(c));
  }
  s.count = int32_t(c);
  return s;
}

Status ParseLists(const Json& j, const ReportLimits& l, Report* r) {
  const Json& subjects = j["subjects"];
  if (!subjects.is_array() || subjects.size() > size_t(l.max_subjects)) {
    return Field("subjects", "must be an array of at most " +
                                 std::to_string(l.max_subjects));
  }
  for (size_t i = 0; i < subjects.size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(
        Subject s,
        ParseSubject(subjects[i], "subjects[" + std::to_string(i) + "].", l));
    r->subjects.push_back(std::move(s));
  }
  const Json& flags = j["flags"];
  if (!flags.is_array()) return Field("flags", "must be an array");
  std::set<std::string> seen;
  for (const Json& f : flags) {
    if (!f.is_string()) return Field("flags", "entries must be strings");
    const std::string name = f.get<std::string>();
    if (std::find(l.flags.begin(), l.flags.end(), name) == l.flags.end()) {
      return Field("flags", "'" + name + "' is not in the flag vocabulary");
    }
    if (!seen.insert(name).second) {
      return Field("flags", "'" + name + "' appears twice");
    }
    r->flags.push_back(name);
  }
  return OkStatus();
}

}  // namespace

std::string_view SubjectKindName(SubjectKind kind) {
  return EnumValid(kind) ? kKindNames[size_t(kind)] : std::string_view();
}

SubjectKind ParseSubjectKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return SubjectKind(i);
  }
  return SubjectKind::kSentinel;
}

std::vector<std::string> DefaultFlags() {
  return {"person_at_door",    "unknown_vehicle", "package_delivered",
          "animal",            "fire_or_smoke",   "door_or_gate_open",
          "night_activity",    "audio_alarm"};
}

Status Validate(const ReportLimits& l) {
  if (l.flags.empty() || l.flags.size() > 64) {
    return InvalidArgument("analysis.flags: need 1 to 64 flags, got " +
                           std::to_string(l.flags.size()));
  }
  std::set<std::string> seen;
  for (const std::string& f : l.flags) {
    if (!IsFlagName(f)) {
      return InvalidArgument("analysis.flags: '" + f +
                             "' must be 1-48 chars of [a-z0-9_]");
    }
    if (!seen.insert(f).second) {
      return InvalidArgument("analysis.flags: '" + f + "' listed twice");
    }
  }
  auto in = [](int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; };
  if (!in(l.scene_max_bytes, 16, 4000) || !in(l.activity_max_bytes, 16, 4000) ||
      !in(l.description_max_bytes, 8, 2000) || !in(l.max_subjects, 1, 32) ||
      !in(l.max_count, 1, 1000)) {
    return InvalidArgument("analysis report limits out of range");
  }
  return OkStatus();
}

std::string ReportJsonSchema(const ReportLimits& l) {
  Json kinds = Json::array();
  for (std::string_view k : kKindNames) kinds.push_back(std::string(k));
  Json subject = {
      {"type", "object"},
      {"properties",
       {{"kind", {{"type", "string"}, {"enum", kinds}}},
        {"description", StringSchema(l.description_max_bytes)},
        {"count",
         {{"type", "integer"}, {"minimum", 1}, {"maximum", l.max_count}}}}},
      {"required", {"kind", "description", "count"}},
      {"additionalProperties", false}};
  Json schema = {
      {"type", "object"},
      {"properties",
       {{"scene", StringSchema(l.scene_max_bytes)},
        {"subjects",
         {{"type", "array"}, {"items", subject}, {"maxItems", l.max_subjects}}},
        {"activity", StringSchema(l.activity_max_bytes)},
        {"flags",
         {{"type", "array"},
          {"items", {{"type", "string"}, {"enum", l.flags}}},
          {"uniqueItems", true},
          {"maxItems", int32_t(l.flags.size())}}}}},
      {"required", {"scene", "subjects", "activity", "flags"}},
      {"additionalProperties", false}};
  return schema.dump();
}

Result<Report> ParseReport(std::string_view json, const ReportLimits& l) {
  try {
    const Json j = Json::parse(json);
    VIGIL_RETURN_IF_ERROR(
        CheckKeys(j, "", {"scene", "subjects", "activity", "flags"}));
    Report r;
    VIGIL_ASSIGN_OR_RETURN(r.scene, GetText(j, "scene", "", l.scene_max_bytes));
    VIGIL_ASSIGN_OR_RETURN(r.activity,
                           GetText(j, "activity", "", l.activity_max_bytes));
    if (!j.contains("subjects")) return Field("", "missing 'subjects'");
    if (!j.contains("flags")) return Field("", "missing 'flags'");
    VIGIL_RETURN_IF_ERROR(ParseLists(j, l, &r));
    return r;
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("report is not valid JSON: ") +
                           e.what());
  }
}

std::string ReportToJson(const Report& r) {
  Json subjects = Json::array();
  for (const Subject& s : r.subjects) {
    subjects.push_back({{"kind", std::string(SubjectKindName(s.kind))},
                        {"description", s.description},
                        {"count", s.count}});
  }
  Json j = {{"scene", r.scene},
            {"subjects", subjects},
            {"activity", r.activity},
            {"flags", r.flags}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ReportSearchText(const Report& r) {
  std::string out = r.scene + "\n" + r.activity;
  for (const Subject& s : r.subjects) {
    out += "\n" + std::string(SubjectKindName(s.kind)) + ": " + s.description;
  }
  for (const std::string& f : r.flags) out += "\n" + f;
  return out;
}

}  // namespace vigil::analysis
