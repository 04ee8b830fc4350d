// SPDX-License-Identifier: Apache-2.0
// Strict typed access to YAML mappings with located error messages.
#include "app/config/yaml_map.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace vigil::app::config_internal {
namespace {

// Levenshtein distance, for "did you mean" on unknown keys.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::string Quote(const std::string& s) {
  constexpr size_t kMax = 40;  // keep messages one line
  return "'" + (s.size() > kMax ? s.substr(0, kMax) + "..." : s) + "'";
}

const char* KindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    default: return "a scalar";
  }
}

bool IsNameChar(char c, bool first) {
  bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  return alpha || (!first && c >= '0' && c <= '9');
}

}  // namespace

Status LoadContext::Error(const std::string& path, const std::string& what,
                          int line) const {
  return InvalidArgument(path + ": " + what + " (" + file + " line " +
                         std::to_string(line) + ")");
}

Status LoadContext::AddLine(const Status& status, int fallback_line) const {
  if (status.ok()) return status;
  const std::string& msg = status.message();
  std::string key = msg.substr(0, msg.find(": "));
  auto it = lines.find(key);
  if (it == lines.end()) it = lines.find(key.substr(0, key.find('/')));
  int line = it == lines.end() ? fallback_line : it->second;
  return Status(status.code(), msg + " (" + file + " line " +
                                   std::to_string(line) + ")");
}

Result<std::string> ExpandEnv(const std::string& text, const EnvLookup& env) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i + 2);
    std::string name =
        close == std::string::npos ? "" : text.substr(i + 2, close - i - 2);
    bool valid = !name.empty();
    for (size_t k = 0; k < name.size(); ++k) valid &= IsNameChar(name[k], k == 0);
    if (!valid) {
      return InvalidArgument(
          "malformed environment reference; expected ${NAME} with NAME made "
          "of letters, digits and '_'");
    }
    std::optional<std::string> value = env(name);
    if (!value) {
      return InvalidArgument("environment variable " + name +
                             " is not set; export it before starting vigil");
    }
    out += *value;
    i = close;
  }
  return out;
}

YamlMap::YamlMap(const YAML::Node& node, std::string path, LoadContext& ctx)
    : node_(node), path_(std::move(path)), ctx_(ctx) {
  line_ = node.Mark().line + 1;
}

Status YamlMap::Init() {
  if (node_.IsNull()) return OkStatus();
  if (!node_.IsMap()) {
    return ctx_.Error(path_.empty() ? "(top level)" : path_,
                      std::string("expected a mapping of key: value, got ") +
                          KindName(node_),
                      line_);
  }
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    int line = it->first.Mark().line + 1;
    if (!it->first.IsScalar()) {
      return ctx_.Error(path_.empty() ? "(top level)" : path_,
                        "keys must be plain names", line);
    }
    std::string key = it->first.Scalar();
    // Keys become names, paths and C-string lookups: a NUL or other control
    // byte would silently truncate them (found by config_fuzz).
    for (unsigned char ch : key) {
      if (ch < 0x20 || ch == 0x7F) {
        return ctx_.Error(path_.empty() ? "(top level)" : path_,
                          "keys must not contain control characters", line);
      }
    }
    if (entries_.count(key)) {
      return ctx_.Error(PathOf(key), "duplicate key (first on line " +
                                         std::to_string(entries_[key].line) +
                                         ")",
                        line);
    }
    entries_[key] = Entry{it->second, line};
    order_.push_back(key);
    ctx_.lines[PathOf(key)] = line;
  }
  return OkStatus();
}

std::string YamlMap::PathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

int YamlMap::LineOf(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? line_ : it->second.line;
}

std::vector<std::string> YamlMap::Keys() const { return order_; }

Status YamlMap::Error(const std::string& key, const std::string& what) const {
  return ctx_.Error(PathOf(key), what, LineOf(key));
}

const YAML::Node* YamlMap::Child(const char* key) {
  declared_.insert(key);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second.value;
}

Result<std::string> YamlMap::Scalar(const std::string& key,
                                    const char* expected) {
  const YAML::Node& v = entries_.at(key).value;
  if (!v.IsScalar()) {
    return Error(key, std::string("expected ") + expected + ", got " +
                          KindName(v));
  }
  Result<std::string> expanded = ExpandEnv(v.Scalar(), ctx_.env);
  if (!expanded.ok()) return Error(key, expanded.status().message());
  return expanded;
}

Status YamlMap::Read(const char* key, std::string* out) {
  if (!Child(key)) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(*out, Scalar(key, "a string"));
  return OkStatus();
}

Status YamlMap::Read(const char* key, double* out) {
  if (!Child(key)) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(std::string s, Scalar(key, "a number"));
  const char* begin = s.c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  if (s.empty() || end != begin + s.size() || !std::isfinite(v)) {
    return Error(key, "expected a number, got " + Quote(s));
  }
  *out = v;
  return OkStatus();
}

Status YamlMap::Read(const char* key, int* out) {
  if (!Child(key)) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(std::string s, Scalar(key, "a whole number"));
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return Error(key, "expected a whole number, got " + Quote(s));
  }
  *out = v;
  return OkStatus();
}

Status YamlMap::Read(const char* key, bool* out) {
  if (!Child(key)) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(std::string s, Scalar(key, "true or false"));
  if (s == "true" || s == "yes" || s == "on") {
    *out = true;
  } else if (s == "false" || s == "no" || s == "off") {
    *out = false;
  } else {
    return Error(key, "expected true or false, got " + Quote(s));
  }
  return OkStatus();
}

Status YamlMap::Read(const char* key, std::optional<double>* out) {
  if (!Child(key)) return OkStatus();
  double v = 0;
  VIGIL_RETURN_IF_ERROR(Read(key, &v));
  *out = v;
  return OkStatus();
}

Status YamlMap::Read(const char* key, std::vector<std::string>* out) {
  const YAML::Node* node = Child(key);
  if (!node) return OkStatus();
  if (!node->IsSequence()) {
    return Error(key, std::string("expected a list of strings, got ") +
                          KindName(*node));
  }
  out->clear();
  for (const YAML::Node& item : *node) {
    if (!item.IsScalar()) {
      return Error(key, std::string("expected a list of strings, got ") +
                            KindName(item) + " in it");
    }
    Result<std::string> s = ExpandEnv(item.Scalar(), ctx_.env);
    if (!s.ok()) return Error(key, s.status().message());
    out->push_back(std::move(s).value());
  }
  return OkStatus();
}

Status YamlMap::ReadMegabytes(const char* key, uint64_t* out) {
  if (!Child(key)) return OkStatus();
  double mb = 0;
  VIGIL_RETURN_IF_ERROR(Read(key, &mb));
  if (mb <= 0 || mb > 1024) {
    return Error(key, "must be in (0, 1024] MiB, got " + std::to_string(mb));
  }
  *out = static_cast<uint64_t>(mb * 1024 * 1024);
  return OkStatus();
}

Status YamlMap::RejectUnknownKeys() const {
  for (const std::string& key : order_) {
    if (declared_.count(key)) continue;
    std::string best;
    size_t best_d = std::numeric_limits<size_t>::max();
    std::string all;
    for (const std::string& d : declared_) {
      all += (all.empty() ? "" : ", ") + d;
      size_t dist = EditDistance(key, d);
      if (dist < best_d) best_d = dist, best = d;
    }
    std::string hint = best_d <= 2 ? "did you mean '" + best + "'? " : "";
    return Error(key, "unknown key; " + hint + "expected one of: " + all);
  }
  return OkStatus();
}

}  // namespace vigil::app::config_internal
