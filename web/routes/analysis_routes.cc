// SPDX-License-Identifier: Apache-2.0
// Analysis resources (issue 6): full-text search over reports, the stored
// report of a snapshot with model/timings, on-demand analysis, and the
// worker's status (which says so when no model is configured).
#include <nlohmann/json.hpp>

#include <string>

#include "store/report_search.h"
#include "web/http_util.h"
#include "web/query.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

using nlohmann::json;

json ParseOrText(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

json StoredReportJson(const store::StoredReport& r) {
  return {{"id", r.id},
          {"snapshot_id", r.snapshot_id},
          {"camera", r.camera},
          {"captured_at_ms", r.captured_at_ms},
          {"model", r.model},
          {"prompt_version", r.prompt_version},
          {"report", ParseOrText(r.json)},
          {"timings", ParseOrText(r.timings_json)},
          {"duration_ms", r.duration_ms},
          {"created_at_ms", r.created_at_ms}};
}

// Parses q (required), camera, limit; answers 400 InvalidQuery itself.
std::optional<store::ReportSearchQuery> SearchQueryOrReply(
    const httplib::Request& req, httplib::Response& res) {
  auto params = ParseQueryString(QueryOf(req.target));
  if (!params.ok()) {
    SendError(res, 400, "InvalidQuery", params.status().message());
    return std::nullopt;
  }
  store::ReportSearchQuery q;
  for (const QueryParam& p : *params) {
    if (p.key == "q") {
      q.text = p.value;
    } else if (p.key == "camera" && IsValidCameraName(p.value)) {
      q.camera = p.value;
    } else if (p.key == "limit" && !p.value.empty() && p.value.size() <= 3 &&
               p.value.find_first_not_of("0123456789") == std::string::npos) {
      q.limit = std::stoi(p.value);
    } else {
      SendError(res, 400, "InvalidQuery",
                "unknown or malformed parameter '" + p.key +
                    "' close to position " + std::to_string(p.position) +
                    " (expected q, camera, limit)");
      return std::nullopt;
    }
  }
  if (q.text.size() > 256) {
    SendError(res, 400, "InvalidQuery", "q is longer than 256 bytes");
    return std::nullopt;
  }
  return q;
}

void HandleSearch(RouteContext& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  if (ctx.live.reports == nullptr) {
    return SendError(res, 503, "Unavailable", "report search is not enabled");
  }
  auto q = SearchQueryOrReply(req, res);
  if (!q) return;
  auto hits = ctx.live.reports->Search(*q);
  if (!hits.ok()) {
    if (hits.status().code() == StatusCode::kInvalidArgument) {
      return SendError(res, 400, "InvalidQuery", hits.status().message());
    }
    return SendStatus(res, hits.status());
  }
  json items = json::array();
  for (const store::ReportSearchHit& h : *hits) {
    json item = StoredReportJson(h.report);
    item["snippet"] = h.snippet;
    items.push_back(std::move(item));
  }
  SendJson(res, 200, {{"query", q->text}, {"items", items}});
}

}  // namespace

void AddAnalysisRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/api/search",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               HandleSearch(ctx, req, res);
             });
  server.Get("/api/analysis/status",
             [&ctx](const httplib::Request&, httplib::Response& res) {
               if (!ctx.live.analysis_status) {
                 return SendJson(res, 200,
                                 {{"model_loaded", false},
                                  {"message", "analysis is not set up"}});
               }
               SendJson(res, 200, ParseOrText(ctx.live.analysis_status()));
             });
  server.Get("/api/snapshots/([^/]+)/report",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               Result<int64_t> id = ParseSnapshotId(req.matches[1].str());
               if (!id.ok()) {
                 return SendError(res, 400, "InvalidId", id.status().message());
               }
               if (ctx.live.reports == nullptr) {
                 return SendError(res, 503, "Unavailable",
                                  "reports are not enabled");
               }
               auto r = ctx.live.reports->LatestForSnapshot(*id);
               if (!r.ok()) return SendStatus(res, r.status());
               if (!r->has_value()) {
                 return SendError(res, 404, "NotFound",
                                  "snapshot " + std::to_string(*id) +
                                      " has no report");
               }
               SendJson(res, 200, StoredReportJson(**r));
             });
  server.Post("/api/snapshots/([^/]+)/analyze",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                Result<int64_t> id = ParseSnapshotId(req.matches[1].str());
                if (!id.ok()) {
                  return SendError(res, 400, "InvalidId",
                                   id.status().message());
                }
                if (!ctx.live.analyze_snapshot) {
                  return SendError(res, 503, "Unavailable",
                                   "analysis is not set up");
                }
                Status s = ctx.live.analyze_snapshot(*id);
                if (!s.ok()) return SendStatus(res, s);
                SendJson(res, 202, {{"queued", true}, {"snapshot_id", *id}});
              });
}

}  // namespace vigil::web
