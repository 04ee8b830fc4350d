// SPDX-License-Identifier: Apache-2.0
// Camera list with live status and the "snap now" action.
#include <map>
#include <string>

#include "web/api_json.h"
#include "web/http_util.h"
#include "web/query.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

// Adds the newest indexed snapshot (the preview), which exists even for
// cameras the scheduler has not captured from since start.
void AddLatest(RouteContext& ctx, nlohmann::json& camera) {
  store::SnapshotQuery q;
  q.camera = camera["name"].get<std::string>();
  q.limit = 1;
  Result<store::SnapshotPage> page = ctx.store.List(q);
  camera["latest_snapshot"] = page.ok() && !page->items.empty()
                                  ? SnapshotJson(page->items.front())
                                  : nlohmann::json(nullptr);
}

// Configured cameras first (config order), then cameras that only exist in
// the index (removed from the config but with snapshots left).
nlohmann::json CamerasJson(RouteContext& ctx) {
  const std::vector<capture::CameraStatus> statuses =
      ctx.scheduler.Statuses();
  const store::StoreStats stats = ctx.store.Stats();
  std::map<std::string, const store::CameraStats*> by_name;
  for (const store::CameraStats& c : stats.cameras) by_name[c.camera] = &c;
  nlohmann::json items = nlohmann::json::array();
  for (const capture::CameraStatus& s : statuses) {
    auto it = by_name.find(s.name);
    items.push_back(
        CameraJson(&s, it == by_name.end() ? nullptr : it->second, s.name));
    if (it != by_name.end()) by_name.erase(it);
  }
  for (const auto& [name, c] : by_name) {
    items.push_back(CameraJson(nullptr, c, name));
  }
  for (nlohmann::json& camera : items) AddLatest(ctx, camera);
  return {{"items", std::move(items)},
          {"total_snapshots", stats.count},
          {"total_bytes", stats.bytes}};
}

void HandleSnap(RouteContext& ctx, const httplib::Request& req,
                httplib::Response& res) {
  const std::string name = req.matches[1].str();
  if (!IsValidCameraName(name)) {
    SendError(res, 400, "InvalidCamera",
              "camera names are 1-64 of [A-Za-z0-9_-]");
    return;
  }
  Result<int64_t> id = ctx.scheduler.SnapNow(name);
  if (!id.ok()) return SendStatus(res, id.status());
  Result<store::SnapshotRecord> r = ctx.store.Get(*id);
  if (!r.ok()) return SendStatus(res, r.status());
  SendJson(res, 201, SnapshotJson(*r));
}

}  // namespace

void AddCameraRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/api/cameras",
             [&ctx](const httplib::Request&, httplib::Response& res) {
               SendJson(res, 200, CamerasJson(ctx));
             });
  server.Post("/api/cameras/([^/]+)/snap",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandleSnap(ctx, req, res);
              });
}

}  // namespace vigil::web
