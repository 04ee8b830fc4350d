// SPDX-License-Identifier: Apache-2.0
// Embedded defaults (what `vigil serve` runs with no config file) and the
// conversions from config sections to the store's option structs.
#include <cmath>

#include "app/config/app_config.h"

namespace vigil::app {

AppConfig DefaultConfig() {
  AppConfig config;
  capture::CameraConfig demo;
  demo.name = "demo";
  demo.kind = capture::SourceKind::kDemo;
  demo.interval_s = 10;
  demo.width = 640;
  demo.height = 360;
  config.cameras.push_back(demo);
  config.web.first_run_password = true;
  return config;
}

store::StoreOptions ToStoreOptions(const AppConfig& config) {
  store::StoreOptions o;
  o.data_dir = config.storage.data_dir;
  o.utc_folders = config.storage.utc_folders;
  o.thumbnail_width = config.storage.thumbnail_width;
  o.thumbnail_quality = config.storage.thumbnail_quality;
  o.max_image_bytes =
      static_cast<uint64_t>(config.storage.max_image_mb * 1024 * 1024);
  return o;
}

namespace {

store::RetentionLimits ToLimits(const RetentionConfig& r) {
  store::RetentionLimits limits;
  if (r.max_age_days) {
    limits.max_age = std::chrono::seconds(
        static_cast<int64_t>(std::llround(*r.max_age_days * 86400)));
  }
  // Disk vendors' GB (10^9 bytes), like `df -H`.
  if (r.max_gb) limits.max_bytes = static_cast<int64_t>(*r.max_gb * 1e9);
  return limits;
}

}  // namespace

store::RetentionPolicy ToRetentionPolicy(const AppConfig& config) {
  store::RetentionPolicy policy;
  policy.global = ToLimits(config.retention);
  for (const auto& [camera, r] : config.camera_retention) {
    policy.per_camera[camera] = ToLimits(r);
  }
  return policy;
}

}  // namespace vigil::app
