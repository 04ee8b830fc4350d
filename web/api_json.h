// SPDX-License-Identifier: Apache-2.0
// JSON shapes of the API (request bodies and responses). The only web file
// that lets nlohmann::json throw; everything is converted to Status here.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "capture/scheduler.h"
#include "common/status.h"
#include "store/snapshot.h"
#include "store/snapshot_store.h"

namespace vigil::web {

// Serializes without throwing: invalid UTF-8 (e.g. a camera's error text) is
// replaced by U+FFFD.
std::string DumpJson(const nlohmann::json& value);
// Parses a request body that must be a JSON object no deeper than 8 levels;
// kInvalidArgument with the parser's position otherwise.
Result<nlohmann::json> ParseJsonObject(std::string_view body);
// Returns `{"code": code, "message": message}`.
std::string ErrorJson(std::string_view code, std::string_view message);

// Snapshot as the gallery sees it, with `image_url` and `thumbnail_url`.
nlohmann::json SnapshotJson(const store::SnapshotRecord& record);
// Returns {"items": [...], "next_cursor": "..." | null}.
nlohmann::json SnapshotPageJson(const store::SnapshotPage& page);
// One camera: scheduler status plus the store's counts (either may be
// absent: a camera only in the index is listed with "configured": false).
nlohmann::json CameraJson(const capture::CameraStatus* status,
                          const store::CameraStats* stats,
                          std::string_view name);

// POST /api/snapshots/{id}/keep body: {"kept": bool}; an empty body means
// true. Returns kInvalidArgument for anything else.
Result<bool> ParseKeepBody(std::string_view body);
// POST /api/login body: {"password": "..."}; returns the password.
Result<std::string> ParseLoginBody(std::string_view body);

}  // namespace vigil::web
