// SPDX-License-Identifier: Apache-2.0
// The whole appliance configuration: one struct per YAML section (Frigate's
// config schema, STYLE.md §5.1). Plain data; app/config/load.h fills it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alerts/config.h"
#include "app/config/analysis_config.h"
#include "capture/camera_config.h"
#include "common/log.h"
#include "store/snapshot_store.h"
#include "web/server.h"

namespace vigil::app {

// `storage:` where snapshots and the index live.
struct StorageConfig {
  std::filesystem::path data_dir = "data";  // relative: to the config file
  bool utc_folders = false;
  int thumbnail_width = 320;
  int thumbnail_quality = 80;
  double max_image_mb = 100;
};

// `retention:` limits, global or (under a camera) per camera. Empty = none.
struct RetentionConfig {
  std::optional<double> max_age_days;
  std::optional<double> max_gb;
};

// `web:` the gallery / API server. `password` (plain, usually `${ENV}`) is
// hashed at load time into `options.password_hash` and then cleared.
struct WebConfig {
  web::WebOptions options;
  // True when neither `password` nor `password_hash` was configured: `serve`
  // then uses the first-run password kept under the data dir.
  bool first_run_password = false;
};

// `logging:`
struct LoggingConfig {
  log::Level level = log::Level::kInfo;
};

struct AppConfig {
  std::string source = "(embedded defaults)";  // file name, for messages
  StorageConfig storage;
  RetentionConfig retention;                       // global
  std::map<std::string, RetentionConfig> camera_retention;  // by camera
  double retention_interval_minutes = 10;          // how often it runs
  WebConfig web;
  LoggingConfig logging;
  std::vector<capture::CameraConfig> cameras;
  alerts::AlertsConfig alerts;  // `alerts:` (app/config/alerts_section.cc)
  AnalysisConfig analysis;  // `analysis:` (app/config/analysis_section.cc)
};

// Returns the embedded defaults: data under ./data, one `demo` camera every
// 10 s, web on 127.0.0.1:8080 with the first-run password.
AppConfig DefaultConfig();

// Returns the store options / retention policy the config describes.
store::StoreOptions ToStoreOptions(const AppConfig& config);
store::RetentionPolicy ToRetentionPolicy(const AppConfig& config);

}  // namespace vigil::app
