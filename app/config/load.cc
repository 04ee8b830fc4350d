// SPDX-License-Identifier: Apache-2.0
// The config file loader: the only yaml-cpp user. YAML exceptions (syntax
// errors, too-deep nesting) are caught here and turned into located errors.
#include "app/config/load.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "app/config/alerts_section.h"
#include "app/config/analysis_section.h"
#include "app/config/sections.h"
#include "common/log.h"

namespace vigil::app {
namespace {

using config_internal::LoadContext;
using config_internal::YamlMap;

// Config files are a few KiB; a cap keeps a wrong path (a video) harmless.
constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;

// Registers the password inside "scheme://user:pass@host/..." if any.
void RegisterUrlSecret(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) {
    return;
  }
  std::string userinfo = url.substr(scheme + 3, at - scheme - 3);
  size_t colon = userinfo.find(':');
  if (colon != std::string::npos) log::RegisterSecret(userinfo.substr(colon + 1));
}

void ResolvePaths(const std::filesystem::path& base, AppConfig* config) {
  auto resolve = [&](std::filesystem::path p) {
    return p.empty() || p.is_absolute() ? p : (base / p).lexically_normal();
  };
  config->storage.data_dir = resolve(config->storage.data_dir);
  for (capture::CameraConfig& c : config->cameras) {
    if (!c.folder.empty()) c.folder = resolve(c.folder).string();
  }
}

Status ParseTopLevel(const YAML::Node& root, LoadContext& ctx,
                     const LoadOptions& options, AppConfig* config) {
  YamlMap top(root, "", ctx);
  VIGIL_RETURN_IF_ERROR(top.Init());
  using namespace config_internal;
  if (const YAML::Node* n = top.Child("storage")) {
    VIGIL_RETURN_IF_ERROR(ParseStorage(*n, ctx, &config->storage));
  }
  if (const YAML::Node* n = top.Child("retention")) {
    VIGIL_RETURN_IF_ERROR(ParseRetention(*n, ctx, config));
  }
  if (const YAML::Node* n = top.Child("logging")) {
    VIGIL_RETURN_IF_ERROR(ParseLogging(*n, ctx, &config->logging));
  }
  if (const YAML::Node* n = top.Child("cameras")) {
    VIGIL_RETURN_IF_ERROR(ParseCameras(*n, ctx, config));
  }
  if (const YAML::Node* n = top.Child("alerts")) {
    VIGIL_RETURN_IF_ERROR(ParseAlerts(*n, ctx, &config->alerts));
  }
  if (const YAML::Node* n = top.Child("analysis")) {
    VIGIL_RETURN_IF_ERROR(ParseAnalysis(*n, ctx, &config->analysis));
  }
  // Unknown sections are reported before the (slow) password hashing.
  top.Child("web");
  VIGIL_RETURN_IF_ERROR(top.RejectUnknownKeys());
  if (const YAML::Node* n = top.Child("web")) {
    VIGIL_RETURN_IF_ERROR(
        ParseWeb(*n, ctx, options.hash_iterations, config));
  }
  return OkStatus();
}

}  // namespace

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

Result<AppConfig> LoadConfigString(const std::string& yaml,
                                   const std::string& source_name,
                                   const std::filesystem::path& base_dir,
                                   const LoadOptions& options) {
  AppConfig config = DefaultConfig();
  config.source = source_name;
  LoadContext ctx{.file = source_name, .env = options.env, .lines = {}};
  try {
    YAML::Node root = YAML::Load(yaml);
    VIGIL_RETURN_IF_ERROR(ParseTopLevel(root, ctx, options, &config));
  } catch (const YAML::Exception& e) {
    // yaml-cpp marks are 0-based; -1 when unknown (e.g. deep recursion).
    std::string where = e.mark.is_null()
                            ? source_name
                            : source_name + " line " +
                                  std::to_string(e.mark.line + 1) +
                                  " column " +
                                  std::to_string(e.mark.column + 1);
    return InvalidArgument("YAML syntax error: " + e.msg + " (" + where + ")");
  } catch (const std::exception& e) {
    return InternalError("reading " + source_name + ": " + e.what());
  }
  for (const capture::CameraConfig& c : config.cameras) {
    log::RegisterSecret(c.password);
    RegisterUrlSecret(c.url);
  }
  ResolvePaths(base_dir, &config);
  return config;
}

Result<AppConfig> LoadConfigFile(const std::filesystem::path& path,
                                 const LoadOptions& options) {
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return NotFound("config file " + path.string() + ": " + ec.message());
  }
  if (size > kMaxConfigBytes) {
    return OutOfRange("config file " + path.string() + " is " +
                      std::to_string(size) + " bytes; expected at most " +
                      std::to_string(kMaxConfigBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return IoError("cannot read config file " + path.string());
  }
  std::filesystem::path base = std::filesystem::absolute(path, ec).parent_path();
  return LoadConfigString(buf.str(), path.filename().string(), base, options);
}

}  // namespace vigil::app
