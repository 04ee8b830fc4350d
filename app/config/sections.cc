// SPDX-License-Identifier: Apache-2.0
// The storage, retention, web and logging sections of the config file.
#include <sstream>

#include "app/config/sections.h"
#include "common/log.h"
#include "web/auth.h"

namespace vigil::app::config_internal {
namespace {

std::string Num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Returns an error about `key` unless lo <= v <= hi.
Status InRange(const YamlMap& m, const char* key, double v, double lo,
               double hi) {
  if (v >= lo && v <= hi) return OkStatus();
  return m.Error(key, "must be in [" + Num(lo) + ", " + Num(hi) + "], got " +
                          Num(v));
}

Status Positive(const YamlMap& m, const char* key,
                const std::optional<double>& v) {
  if (!v || *v > 0) return OkStatus();
  return m.Error(key, "must be > 0, got " + Num(*v));
}

}  // namespace

Status ParseStorage(const YAML::Node& node, LoadContext& ctx,
                    StorageConfig* out) {
  YamlMap m(node, "storage", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  std::string dir = out->data_dir.string();
  VIGIL_RETURN_IF_ERROR(m.Read("data_dir", &dir));
  VIGIL_RETURN_IF_ERROR(m.Read("utc_folders", &out->utc_folders));
  VIGIL_RETURN_IF_ERROR(m.Read("thumbnail_width", &out->thumbnail_width));
  VIGIL_RETURN_IF_ERROR(m.Read("thumbnail_quality", &out->thumbnail_quality));
  VIGIL_RETURN_IF_ERROR(m.Read("max_image_mb", &out->max_image_mb));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  if (dir.empty()) return m.Error("data_dir", "must not be empty");
  out->data_dir = dir;
  VIGIL_RETURN_IF_ERROR(
      InRange(m, "thumbnail_width", out->thumbnail_width, 32, 1920));
  VIGIL_RETURN_IF_ERROR(
      InRange(m, "thumbnail_quality", out->thumbnail_quality, 1, 100));
  return InRange(m, "max_image_mb", out->max_image_mb, 0.001, 1024);
}

Status ParseRetentionLimits(YamlMap& m, RetentionConfig* out) {
  VIGIL_RETURN_IF_ERROR(m.Read("max_age_days", &out->max_age_days));
  VIGIL_RETURN_IF_ERROR(m.Read("max_gb", &out->max_gb));
  VIGIL_RETURN_IF_ERROR(Positive(m, "max_age_days", out->max_age_days));
  return Positive(m, "max_gb", out->max_gb);
}

Status ParseRetention(const YAML::Node& node, LoadContext& ctx,
                      AppConfig* out) {
  YamlMap m(node, "retention", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  VIGIL_RETURN_IF_ERROR(ParseRetentionLimits(m, &out->retention));
  VIGIL_RETURN_IF_ERROR(
      m.Read("interval_minutes", &out->retention_interval_minutes));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  return InRange(m, "interval_minutes", out->retention_interval_minutes, 0.1,
                 24 * 60);
}

Status ParseWeb(const YAML::Node& node, LoadContext& ctx, int hash_iterations,
                AppConfig* out) {
  YamlMap m(node, "web", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  web::WebOptions& o = out->web.options;
  std::string password;
  double session_hours = o.session_lifetime_s / 3600.0;
  VIGIL_RETURN_IF_ERROR(m.Read("bind", &o.bind_address));
  VIGIL_RETURN_IF_ERROR(m.Read("port", &o.port));
  VIGIL_RETURN_IF_ERROR(m.Read("password", &password));
  VIGIL_RETURN_IF_ERROR(m.Read("password_hash", &o.password_hash));
  VIGIL_RETURN_IF_ERROR(m.Read("api_tokens", &o.api_tokens));
  VIGIL_RETURN_IF_ERROR(m.Read("session_hours", &session_hours));
  VIGIL_RETURN_IF_ERROR(m.Read("secure_cookie", &o.secure_cookie));
  VIGIL_RETURN_IF_ERROR(m.Read("threads", &o.threads));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  log::RegisterSecret(password);
  for (const std::string& t : o.api_tokens) log::RegisterSecret(t);

  if (o.bind_address.empty()) return m.Error("bind", "must not be empty");
  VIGIL_RETURN_IF_ERROR(InRange(m, "port", o.port, 0, 65535));
  VIGIL_RETURN_IF_ERROR(InRange(m, "session_hours", session_hours, 0.1,
                                24 * 366));
  VIGIL_RETURN_IF_ERROR(InRange(m, "threads", o.threads, 1, 256));
  o.session_lifetime_s = static_cast<int>(session_hours * 3600);
  for (const std::string& t : o.api_tokens) {
    if (t.size() < 16) {
      return m.Error("api_tokens", "each token needs at least 16 characters"
                                   " (try `openssl rand -hex 32`), got one of " +
                                       std::to_string(t.size()));
    }
  }
  if (!password.empty() && !o.password_hash.empty()) {
    return m.Error("password", "set either password or password_hash, not both");
  }
  if (!o.password_hash.empty()) {
    Status s = web::ValidatePasswordHash(o.password_hash);
    if (!s.ok()) {
      return m.Error("password_hash", s.message() +
                                          "; create one with `vigil passwd`");
    }
  } else if (!password.empty()) {
    if (password.size() < 8) {
      return m.Error("password", "must be at least 8 characters, got " +
                                     std::to_string(password.size()));
    }
    o.password_hash = hash_iterations > 0
                          ? web::HashPassword(password, hash_iterations)
                          : web::HashPassword(password);
  }
  out->web.first_run_password = o.password_hash.empty();
  return OkStatus();
}

Status ParseLogging(const YAML::Node& node, LoadContext& ctx,
                    LoggingConfig* out) {
  YamlMap m(node, "logging", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  std::string level;
  VIGIL_RETURN_IF_ERROR(m.Read("level", &level));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  if (!m.Child("level")) return OkStatus();
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  for (int i = 0; i < 4; ++i) {
    if (level == kNames[i]) {
      out->level = static_cast<log::Level>(i);
      return OkStatus();
    }
  }
  return m.Error("level", "expected one of debug, info, warn, error, got '" +
                              level + "'");
}

}  // namespace vigil::app::config_internal
