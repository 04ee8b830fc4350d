// SPDX-License-Identifier: Apache-2.0
// The `analysis:` section: the model files (empty = analysis off; capture
// goes on), generation settings, the flag vocabulary, and per-camera motion
// gating, crops and opt-out. Internal to app/config.
//
//   analysis:
//     model: /var/lib/vigil/models/gemma-4-E2B-it-Q4_0.gguf
//     mmproj: /var/lib/vigil/models/mmproj-gemma-4-E2B-it-f16.gguf
//     threads: 4                 # 0 = all cores
//     max_tokens: 384
//     temperature: 0.7
//     flags: [person_at_door, unknown_vehicle, package_delivered, animal]
//     previous_report: true      # give the model the camera's last report
//     audio_context: true        # give the model the snapshot's audio clip
//                                # (when the mmproj has an audio tower)
//     audio_max_s: 30            # the model hears the clip's first 30 s
//     periodic_s: 3600           # still scenes: re-analyse this often (0 never)
//     image_budget: 280          # soft tokens: 70, 140, 280, 560, 1120
//     motion: {sensitivity: 0.5, min_area: 0.003,
//              masks: ["0.0,0.0 0.3,0.0 0.3,0.2"]}  # x,y frame fractions
//     crop: {enabled: true, max_region: 0.25, padding: 0.5, min_side: 256}
//     cameras:
//       garage: {enabled: false}
//       street: {motion: {sensitivity: 0.2}, crop: {enabled: false}}
//       kitchen: {audio_context: false}   # this camera's clips stay private
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/config/analysis_config.h"
#include "common/status.h"
#include "vision/motion.h"

namespace vigil::app::config_internal {

struct LoadContext;

Status ParseAnalysis(const YAML::Node& node, LoadContext& ctx,
                     AnalysisConfig* out);

// Parses "x,y x,y x,y" (frame fractions) into a polygon.
Result<std::vector<vision::PointF>> ParsePolygon(const std::string& text);

}  // namespace vigil::app::config_internal
