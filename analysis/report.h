// SPDX-License-Identifier: Apache-2.0
// The analysis report: scene, subjects, activity, flags. Its JSON schema
// (what constrained decoding compiles and what llama.cpp's --json-schema
// gets), parsing with validation, and serialization.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigil::analysis {

enum class SubjectKind : uint8_t {
  kPerson, kVehicle, kAnimal, kPackage, kOther, kSentinel
};
// "person", "vehicle", ...; kSentinel -> "".
std::string_view SubjectKindName(SubjectKind kind);
// Parses a name; kSentinel when unknown.
SubjectKind ParseSubjectKind(std::string_view name);
inline bool EnumValid(SubjectKind k) { return k < SubjectKind::kSentinel; }

struct Subject {
  SubjectKind kind = SubjectKind::kOther;
  std::string description;
  int32_t count = 1;
};

struct Report {
  std::string scene;
  std::vector<Subject> subjects;
  std::string activity;
  std::vector<std::string> flags;  // from the configured vocabulary
};

// The default flag vocabulary (issue 6).
std::vector<std::string> DefaultFlags();

// Size limits and the flag vocabulary; shared by the schema and validation.
struct ReportLimits {
  std::vector<std::string> flags = DefaultFlags();
  int32_t scene_max_bytes = 280;
  int32_t activity_max_bytes = 200;
  int32_t description_max_bytes = 120;
  int32_t max_subjects = 6;
  int32_t max_count = 50;
};

// InvalidArgument for an empty or too large (> 64) vocabulary, flags that
// are not [a-z0-9_]+, or limits outside sane ranges.
Status Validate(const ReportLimits& limits);

// The report's JSON schema (draft 2020-12 subset, properties in output
// order, additionalProperties false).
std::string ReportJsonSchema(const ReportLimits& limits);

// Parses and validates a report: every key present and no other, kinds and
// flags from their vocabularies (flags unique), lengths and counts in range.
// InvalidArgument says which field and why.
Result<Report> ParseReport(std::string_view json, const ReportLimits& limits);

// Compact JSON in schema order.
std::string ReportToJson(const Report& report);

// "scene. activity. subjects. flags" as one line, for full-text search.
std::string ReportSearchText(const Report& report);

}  // namespace vigil::analysis
