// SPDX-License-Identifier: Apache-2.0
// GET /api/alerts?camera=&before=&limit=: the alerts timeline from the
// outbox, newest first, each with its latest notification and revision.
#include <charconv>
#include <string>

#include "store/outbox.h"
#include "web/api_json.h"
#include "web/http_util.h"
#include "web/query.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

using nlohmann::json;

Result<store::AlertQuery> ParseAlertQuery(std::string_view text) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<QueryParam> params,
                         ParseQueryString(text));
  store::AlertQuery q;
  for (const QueryParam& p : params) {
    if (p.value.empty()) continue;
    if (p.key == "camera") {
      if (!IsValidCameraName(p.value)) {
        return InvalidArgument(
            "parameter 'camera': camera names are 1-64 of "
            "[A-Za-z0-9_-]");
      }
      q.camera = p.value;
    } else if (p.key == "before") {
      Result<int64_t> t = ParseTimeParam(p.value);
      if (!t.ok()) {
        return InvalidArgument("parameter 'before': " + t.status().message());
      }
      q.before_ms = *t;
    } else if (p.key == "limit") {
      int n = 0;
      auto [end, ec] =
          std::from_chars(p.value.data(), p.value.data() + p.value.size(), n);
      if (ec != std::errc() || end != p.value.data() + p.value.size() ||
          n < 1 || n > 500) {
        return InvalidArgument(
            "parameter 'limit': must be an integer in "
            "[1, 500]");
      }
      q.limit = n;
    } else {
      return InvalidArgument("unknown parameter '" + p.key.substr(0, 40) +
                             "' (expected camera, before, limit)");
    }
  }
  return q;
}

json AlertJson(const store::AlertRecord& a) {
  json notification = json::parse(a.json, nullptr, false);
  return {{"id", a.id},
          {"rule", a.rule},
          {"camera", a.camera},
          {"snapshot_id", a.snapshot_id ? json(*a.snapshot_id) : json(nullptr)},
          {"revision", a.revision},
          {"stage", a.stage},
          {"created_at_ms", a.created_at_ms},
          {"updated_at_ms", a.updated_at_ms},
          {"notification",
           notification.is_discarded() ? json(nullptr) : notification}};
}

void HandleList(RouteContext& ctx, const httplib::Request& req,
                httplib::Response& res) {
  Result<store::AlertQuery> q = ParseAlertQuery(QueryOf(req.target));
  if (!q.ok()) {
    return SendError(res, 400, "InvalidQuery", q.status().message());
  }
  json items = json::array();
  json next = nullptr;
  if (ctx.live.alerts) {
    Result<std::vector<store::AlertRecord>> rows =
        ctx.live.alerts->ListAlerts(*q);
    if (!rows.ok()) return SendStatus(res, rows.status());
    for (const store::AlertRecord& a : *rows) items.push_back(AlertJson(a));
    if (static_cast<int>(rows->size()) == q->limit && !rows->empty()) {
      next = rows->back().created_at_ms;
    }
  }
  SendJson(res, 200,
           json{{"items", items},
                {"next_before", next},
                {"enabled", ctx.live.alerts != nullptr}});
}

}  // namespace

void AddAlertRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/api/alerts",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               HandleList(ctx, req, res);
             });
}

}  // namespace vigil::web
