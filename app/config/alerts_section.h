// SPDX-License-Identifier: Apache-2.0
// The `alerts:` section: notifiers (webhook, mqtt, ntfy) and rules, read
// strictly like every other section and checked with alerts::Validate.
// Internal to app/config.
//
//   alerts:
//     base_url: https://vigil.local:8080   # links in notifications
//     notifiers:
//       phone: {type: ntfy, url: "https://ntfy.sh/${NTFY_TOPIC}"}
//       ha:    {type: mqtt, host: 127.0.0.1, port: 1883}
//       hook:  {type: webhook, url: https://example.org/hook,
//               headers: {Authorization: "Bearer ${HOOK_TOKEN}"}}
//     rules:
//       door:
//         cameras: [porch]            # default: all
//         flags: [person_at_door]     # default: any report
//         match: any                  # or all
//         subjects: [person]
//         windows: ["22:00-06:00"]    # local time; may cross midnight
//         cooldown_s: 300
//         on_motion: true             # notify at motion, update on report
//         notifiers: [phone, ha]      # default: all
//         priority: 4
#pragma once

#include <yaml-cpp/yaml.h>

#include "alerts/config.h"
#include "app/config/yaml_map.h"
#include "common/status.h"

namespace vigil::app::config_internal {

Status ParseAlerts(const YAML::Node& node, LoadContext& ctx,
                   alerts::AlertsConfig* out);

// Parses "HH:MM-HH:MM" (24 h clock, end 24:00 allowed) or returns
// kInvalidArgument saying what was expected.
Result<alerts::TimeWindow> ParseTimeWindow(const std::string& text);

}  // namespace vigil::app::config_internal
