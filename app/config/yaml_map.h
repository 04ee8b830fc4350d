// SPDX-License-Identifier: Apache-2.0
// Typed, strict reading of one YAML mapping: every key must be declared by a
// `Read*`/`Child` call, values are type-checked after `${VAR}` expansion, and
// every error says key path, expectation and "(file line N)". Internal to
// app/config (yaml-cpp stays inside this folder).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/config/load.h"
#include "common/status.h"

namespace vigil::app::config_internal {

// Shared by every mapping of one file.
struct LoadContext {
  std::string file;  // "config.yaml", used in messages
  EnvLookup env;
  // "cameras.porch.interval_s" -> 1-based line, for validation messages.
  std::map<std::string, int> lines;

  // Returns "<path>: <what> (<file> line <line>)" as kInvalidArgument.
  Status Error(const std::string& path, const std::string& what,
               int line) const;
  // Returns `status` with " (<file> line N)" appended, N looked up from the
  // key path its message starts with ("cameras.porch.url: ...").
  Status AddLine(const Status& status, int fallback_line) const;
};

// Thread-compatible; lives while one section is parsed.
class YamlMap {
 public:
  // `node` must outlive this object. `path` is "" for the top level.
  YamlMap(const YAML::Node& node, std::string path, LoadContext& ctx);

  // Returns kInvalidArgument if the node is not a mapping (null is read as
  // an empty mapping) or repeats a key.
  Status Init();
  int line() const { return line_; }
  const std::string& path() const { return path_; }

  // Each reads `key` if present (leaving `out` untouched if absent) and
  // declares it as known.
  Status Read(const char* key, std::string* out);
  Status Read(const char* key, double* out);
  Status Read(const char* key, int* out);
  Status Read(const char* key, bool* out);
  Status Read(const char* key, std::optional<double>* out);
  Status Read(const char* key, std::vector<std::string>* out);
  // Reads a byte count given in MiB as a number (`max_mb: 20`).
  Status ReadMegabytes(const char* key, uint64_t* out);

  // Declares `key` and returns its node if present (nullptr otherwise).
  const YAML::Node* Child(const char* key);
  // Returns the keys in document order (for maps keyed by name).
  std::vector<std::string> Keys() const;
  // Returns the path of a child key: "cameras.porch" + "url".
  std::string PathOf(const std::string& key) const;
  int LineOf(const std::string& key) const;

  // Returns kInvalidArgument for the first key that no call declared,
  // suggesting the closest declared name.
  Status RejectUnknownKeys() const;
  // Returns `what` about `key` as a located error.
  Status Error(const std::string& key, const std::string& what) const;

 private:
  struct Entry {
    YAML::Node value;
    int line = 0;
  };
  // Returns the env-expanded scalar text of `key` or an error.
  Result<std::string> Scalar(const std::string& key, const char* expected);

  const YAML::Node& node_;
  std::string path_;
  LoadContext& ctx_;
  int line_ = 0;
  std::map<std::string, Entry> entries_;
  std::vector<std::string> order_;
  std::set<std::string> declared_;
};

// Replaces every `${NAME}` in `text` via `env`. Returns kInvalidArgument
// ("environment variable NAME is not set") for an unset variable or a
// malformed reference; `$` not followed by `{` stays literal.
Result<std::string> ExpandEnv(const std::string& text, const EnvLookup& env);

}  // namespace vigil::app::config_internal
