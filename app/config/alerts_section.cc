// SPDX-License-Identifier: Apache-2.0
// The `alerts:` section of the config file (see alerts_section.h).
#include "app/config/alerts_section.h"

#include <cstdio>

#include "common/log.h"

namespace vigil::app::config_internal {
namespace {

Result<alerts::NotifierKind> ParseKind(const std::string& s) {
  if (s == "webhook") return alerts::NotifierKind::kWebhook;
  if (s == "mqtt") return alerts::NotifierKind::kMqtt;
  if (s == "ntfy") return alerts::NotifierKind::kNtfy;
  return InvalidArgument("expected one of webhook, mqtt, ntfy, got '" + s +
                         "'");
}

Status ParseHeaders(const YAML::Node& node, YamlMap& parent,
                    alerts::NotifierConfig* n, LoadContext& ctx) {
  YamlMap m(node, parent.PathOf("headers"), ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  for (const std::string& key : m.Keys()) {
    std::string value;
    VIGIL_RETURN_IF_ERROR(m.Read(key.c_str(), &value));
    log::RegisterSecret(value);  // usually a token
    n->headers[key] = value;
  }
  return OkStatus();
}

Status ParseNotifier(const std::string& name, const YAML::Node& node,
                     LoadContext& ctx, alerts::NotifierConfig* n) {
  YamlMap m(node, "alerts.notifiers." + name, ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  n->name = name;
  std::string type;
  VIGIL_RETURN_IF_ERROR(m.Read("type", &type));
  if (!m.Child("type")) return m.Error("type", "missing (webhook, mqtt, ntfy)");
  Result<alerts::NotifierKind> kind = ParseKind(type);
  if (!kind.ok()) return m.Error("type", kind.status().message());
  n->kind = *kind;
  VIGIL_RETURN_IF_ERROR(m.Read("url", &n->url));
  VIGIL_RETURN_IF_ERROR(m.Read("token", &n->token));
  VIGIL_RETURN_IF_ERROR(m.Read("host", &n->host));
  VIGIL_RETURN_IF_ERROR(m.Read("port", &n->port));
  VIGIL_RETURN_IF_ERROR(m.Read("username", &n->username));
  VIGIL_RETURN_IF_ERROR(m.Read("password", &n->password));
  VIGIL_RETURN_IF_ERROR(m.Read("client_id", &n->client_id));
  VIGIL_RETURN_IF_ERROR(m.Read("topic_prefix", &n->topic_prefix));
  VIGIL_RETURN_IF_ERROR(m.Read("discovery_prefix", &n->discovery_prefix));
  VIGIL_RETURN_IF_ERROR(m.Read("timeout_s", &n->timeout_s));
  if (const YAML::Node* h = m.Child("headers")) {
    VIGIL_RETURN_IF_ERROR(ParseHeaders(*h, m, n, ctx));
  }
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  log::RegisterSecret(n->token);
  log::RegisterSecret(n->password);
  return OkStatus();
}

Status ParseRule(const std::string& name, const YAML::Node& node,
                 LoadContext& ctx, alerts::AlertRule* r) {
  YamlMap m(node, "alerts.rules." + name, ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  r->name = name;
  std::string match = "any";
  std::vector<std::string> windows;
  VIGIL_RETURN_IF_ERROR(m.Read("cameras", &r->cameras));
  VIGIL_RETURN_IF_ERROR(m.Read("flags", &r->flags));
  VIGIL_RETURN_IF_ERROR(m.Read("match", &match));
  VIGIL_RETURN_IF_ERROR(m.Read("subjects", &r->subject_kinds));
  VIGIL_RETURN_IF_ERROR(m.Read("windows", &windows));
  VIGIL_RETURN_IF_ERROR(m.Read("cooldown_s", &r->cooldown_s));
  VIGIL_RETURN_IF_ERROR(m.Read("on_motion", &r->on_motion));
  VIGIL_RETURN_IF_ERROR(m.Read("notifiers", &r->notifiers));
  VIGIL_RETURN_IF_ERROR(m.Read("priority", &r->priority));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  if (match != "any" && match != "all") {
    return m.Error("match", "expected any or all, got '" + match + "'");
  }
  r->flag_match =
      match == "all" ? alerts::FlagMatch::kAll : alerts::FlagMatch::kAny;
  for (const std::string& w : windows) {
    Result<alerts::TimeWindow> parsed = ParseTimeWindow(w);
    if (!parsed.ok()) return m.Error("windows", parsed.status().message());
    r->windows.push_back(*parsed);
  }
  return OkStatus();
}

// Reads a `name: {settings}` mapping with `parse` per entry.
template <typename T, typename F>
Status ParseNamed(YamlMap& parent, const char* key, LoadContext& ctx,
                  std::vector<T>* out, F parse) {
  const YAML::Node* node = parent.Child(key);
  if (!node) return OkStatus();
  YamlMap m(*node, parent.PathOf(key), ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  for (const std::string& name : m.Keys()) {
    T item;
    VIGIL_RETURN_IF_ERROR(parse(name, *m.Child(name.c_str()), ctx, &item));
    out->push_back(std::move(item));
  }
  return OkStatus();
}

}  // namespace

Result<alerts::TimeWindow> ParseTimeWindow(const std::string& text) {
  int h1 = -1, m1 = -1, h2 = -1, m2 = -1, used = 0;
  const bool parsed = std::sscanf(text.c_str(), "%2d:%2d-%2d:%2d%n", &h1, &m1,
                                  &h2, &m2, &used) == 4 &&
                      used == static_cast<int>(text.size());
  const int start = h1 * 60 + m1, end = h2 * 60 + m2;
  if (!parsed || h1 < 0 || h1 > 23 || m1 < 0 || m1 > 59 || h2 < 0 || h2 > 24 ||
      m2 < 0 || m2 > 59 || end > 24 * 60) {
    return InvalidArgument(
        "expected \"HH:MM-HH:MM\" (24 h, local time), "
        "got '" +
        text + "'");
  }
  return alerts::TimeWindow{start, end};
}

Status ParseAlerts(const YAML::Node& node, LoadContext& ctx,
                   alerts::AlertsConfig* out) {
  YamlMap m(node, "alerts", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  VIGIL_RETURN_IF_ERROR(m.Read("base_url", &out->base_url));
  VIGIL_RETURN_IF_ERROR(m.Read("flags", &out->flag_vocabulary));
  VIGIL_RETURN_IF_ERROR(m.Read("retry_initial_s", &out->retry_initial_s));
  VIGIL_RETURN_IF_ERROR(m.Read("retry_max_s", &out->retry_max_s));
  VIGIL_RETURN_IF_ERROR(
      ParseNamed(m, "notifiers", ctx, &out->notifiers, ParseNotifier));
  VIGIL_RETURN_IF_ERROR(ParseNamed(m, "rules", ctx, &out->rules, ParseRule));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  while (!out->base_url.empty() && out->base_url.back() == '/') {
    out->base_url.pop_back();
  }
  if (!out->base_url.empty() && out->base_url.rfind("http://", 0) != 0 &&
      out->base_url.rfind("https://", 0) != 0) {
    return m.Error("base_url", "must start with http:// or https://, got '" +
                                   out->base_url + "'");
  }
  // Cross-field checks name "alerts.rules.<r>.<key>"; AddLine locates it.
  if (Status s = alerts::Validate(*out); !s.ok()) {
    return ctx.AddLine(s, m.line());
  }
  return OkStatus();
}

}  // namespace vigil::app::config_internal
