// SPDX-License-Identifier: Apache-2.0
// nlohmann::json adapter: its exceptions stop here.
#include "inference/grammar/schema_compile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vigil::grammar {
namespace {

using Json = nlohmann::ordered_json;

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument("JSON schema " + (where.empty() ? "/" : where) +
                         ": " + what);
}

// Reads an integer keyword; `fallback` when absent and not `required`.
Result<int32_t> IntKeyword(const Json& node, const std::string& where,
                           const char* key, bool required, int32_t fallback,
                           int32_t lo, int32_t hi) {
  if (!node.contains(key)) {
    if (required) return Bad(where, std::string("needs '") + key + "'");
    return fallback;
  }
  const Json& v = node[key];
  if (!v.is_number_integer() || v.get<int64_t>() < lo ||
      v.get<int64_t>() > hi) {
    return Bad(where, std::string("'") + key + "' must be an integer in [" +
                          std::to_string(lo) + ", " + std::to_string(hi) +
                          "], got " + v.dump());
  }
  return int32_t(v.get<int64_t>());
}

Status Compile(const Json& node, const std::string& where, bool unique_item,
               GrammarBuilder* b);

Status CompileObject(const Json& node, const std::string& where,
                     GrammarBuilder* b) {
  if (!node.contains("properties") || !node["properties"].is_object() ||
      node["properties"].empty()) {
    return Bad(where, "objects need non-empty 'properties'");
  }
  if (node.contains("additionalProperties") &&
      node["additionalProperties"] != false) {
    return Bad(where, "'additionalProperties' must be false");
  }
  const Json& props = node["properties"];
  if (node.contains("required")) {
    const Json& req = node["required"];
    if (!req.is_array() || req.size() != props.size()) {
      return Bad(where, "every property must be required");
    }
    for (const Json& r : req) {
      if (!r.is_string() || !props.contains(r.get<std::string>())) {
        return Bad(where, "'required' names an unknown property: " + r.dump());
      }
    }
  }
  bool first = true;
  for (const auto& [key, value] : props.items()) {
    b->Literal(std::string(first ? "{" : ",") + Json(key).dump() + ":");
    first = false;
    VIGIL_RETURN_IF_ERROR(
        Compile(value, where + "/properties/" + key, false, b));
  }
  b->Literal("}");
  return OkStatus();
}

Status CompileString(const Json& node, const std::string& where, bool unique,
                     GrammarBuilder* b) {
  if (node.contains("enum")) {
    const Json& e = node["enum"];
    if (!e.is_array() || e.empty() || (unique && e.size() > 64)) {
      return Bad(where, "'enum' must be a non-empty array (at most 64 "
                        "values under uniqueItems)");
    }
    std::vector<std::string> choices;
    for (const Json& v : e) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        return Bad(where, "enum values must be non-empty strings");
      }
      const std::string s = v.get<std::string>();
      if (Json(s).dump() != "\"" + s + "\"") {
        return Bad(where, "enum value needs JSON escaping: " + v.dump());
      }
      choices.push_back(s);
    }
    b->Enum(std::move(choices), unique);
    return OkStatus();
  }
  if (unique) return Bad(where, "uniqueItems needs string enum items");
  VIGIL_ASSIGN_OR_RETURN(int32_t max, IntKeyword(node, where, "maxLength",
                                                 true, 0, 1, 50000));
  VIGIL_ASSIGN_OR_RETURN(int32_t min, IntKeyword(node, where, "minLength",
                                                 false, 0, 0, max));
  b->String(min, max);
  return OkStatus();
}

Status CompileArray(const Json& node, const std::string& where,
                    GrammarBuilder* b) {
  if (!node.contains("items") || !node["items"].is_object()) {
    return Bad(where, "arrays need an 'items' schema");
  }
  VIGIL_ASSIGN_OR_RETURN(int32_t max, IntKeyword(node, where, "maxItems",
                                                 true, 0, 1, 10000));
  VIGIL_ASSIGN_OR_RETURN(int32_t min, IntKeyword(node, where, "minItems",
                                                 false, 0, 0, max));
  const bool unique = node.value("uniqueItems", false);
  b->OpenArray(min, max);
  VIGIL_RETURN_IF_ERROR(Compile(node["items"], where + "/items", unique, b));
  b->CloseArray();
  return OkStatus();
}

Status Compile(const Json& node, const std::string& where, bool unique_item,
               GrammarBuilder* b) {
  if (!node.is_object() || !node.contains("type") ||
      !node["type"].is_string()) {
    return Bad(where, "each node needs a 'type' string");
  }
  const std::string type = node["type"].get<std::string>();
  if (unique_item && type != "string") {
    return Bad(where, "uniqueItems needs string enum items");
  }
  if (type == "object") return CompileObject(node, where, b);
  if (type == "string") return CompileString(node, where, unique_item, b);
  if (type == "array") return CompileArray(node, where, b);
  if (type == "integer") {
    VIGIL_ASSIGN_OR_RETURN(int32_t lo, IntKeyword(node, where, "minimum",
                                                  true, 0, 0, 1 << 30));
    VIGIL_ASSIGN_OR_RETURN(int32_t hi, IntKeyword(node, where, "maximum",
                                                  true, 0, lo, 1 << 30));
    b->Int(lo, hi);
    return OkStatus();
  }
  return Bad(where, "type '" + type + "' is not supported (object, string, "
                    "integer, array)");
}

}  // namespace

Result<Grammar> CompileJsonSchema(std::string_view schema_json) {
  try {
    const Json root = Json::parse(schema_json);
    GrammarBuilder b;
    VIGIL_RETURN_IF_ERROR(Compile(root, "", false, &b));
    return b.Build();
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("JSON schema does not parse: ") +
                           e.what());
  }
}

}  // namespace vigil::grammar
