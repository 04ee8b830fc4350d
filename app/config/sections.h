// SPDX-License-Identifier: Apache-2.0
// One parser per top-level YAML section; each reads its mapping strictly
// (unknown keys rejected) and validates its values. Internal to app/config.
#pragma once

#include <yaml-cpp/yaml.h>

#include "app/config/app_config.h"
#include "app/config/load.h"
#include "app/config/yaml_map.h"
#include "common/status.h"

namespace vigil::app::config_internal {

Status ParseStorage(const YAML::Node& node, LoadContext& ctx,
                    StorageConfig* out);
// Reads `max_age_days`/`max_gb` of `map` (global or a camera's `retention:`).
Status ParseRetentionLimits(YamlMap& map, RetentionConfig* out);
Status ParseRetention(const YAML::Node& node, LoadContext& ctx,
                      AppConfig* out);
// Fills `out->web`; a plain `password` is hashed with `hash_iterations`.
Status ParseWeb(const YAML::Node& node, LoadContext& ctx, int hash_iterations,
                AppConfig* out);
Status ParseLogging(const YAML::Node& node, LoadContext& ctx,
                    LoggingConfig* out);
// Reads `cameras:` (a mapping of camera name to settings) into
// `out->cameras` and `out->camera_retention`, then validates them.
Status ParseCameras(const YAML::Node& node, LoadContext& ctx, AppConfig* out);

}  // namespace vigil::app::config_internal
