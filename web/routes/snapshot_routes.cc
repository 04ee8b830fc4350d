// SPDX-License-Identifier: Apache-2.0
// Snapshot listing, metadata, image/thumbnail bytes (always by index id,
// never by a path from the request), the audio clip beside a snapshot and
// the keep flag.
#include <string>

#include "web/api_json.h"
#include "web/http_util.h"
#include "web/query.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

// Parses matches[1] as an id or answers 400 InvalidId.
std::optional<int64_t> IdOrReply(const httplib::Request& req,
                                 httplib::Response& res) {
  Result<int64_t> id = ParseSnapshotId(req.matches[1].str());
  if (!id.ok()) {
    SendError(res, 400, "InvalidId", id.status().message());
    return std::nullopt;
  }
  return *id;
}

void SendJpeg(httplib::Response& res, const std::vector<uint8_t>& bytes) {
  res.status = 200;
  // Ids are stable until a reindex, so a short private cache is safe.
  res.set_header("Cache-Control", "private, max-age=3600");
  res.set_content(reinterpret_cast<const char*>(bytes.data()), bytes.size(),
                  "image/jpeg");
}

void HandleList(RouteContext& ctx, const httplib::Request& req,
                httplib::Response& res) {
  Result<store::SnapshotQuery> query =
      ParseSnapshotListQuery(QueryOf(req.target));
  if (!query.ok()) {
    SendError(res, 400, "InvalidQuery", query.status().message());
    return;
  }
  Result<store::SnapshotPage> page = ctx.store.List(*query);
  if (!page.ok()) {
    if (page.status().code() == StatusCode::kInvalidArgument) {
      SendError(res, 400, "InvalidQuery", page.status().message());
    } else {
      SendStatus(res, page.status());
    }
    return;
  }
  SendJson(res, 200, SnapshotPageJson(*page));
}

}  // namespace

void AddSnapshotRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/api/snapshots",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               HandleList(ctx, req, res);
             });
  server.Get("/api/snapshots/([^/]+)",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               const auto id = IdOrReply(req, res);
               if (!id) return;
               Result<store::SnapshotRecord> r = ctx.store.Get(*id);
               if (!r.ok()) return SendStatus(res, r.status());
               SendJson(res, 200, SnapshotJson(*r));
             });
  server.Get("/api/snapshots/([^/]+)/image",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               const auto id = IdOrReply(req, res);
               if (!id) return;
               Result<std::vector<uint8_t>> bytes = ctx.store.ReadImage(*id);
               if (!bytes.ok()) return SendStatus(res, bytes.status());
               SendJpeg(res, *bytes);
             });
  server.Get("/api/snapshots/([^/]+)/thumbnail",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               const auto id = IdOrReply(req, res);
               if (!id) return;
               Result<std::vector<uint8_t>> bytes =
                   ctx.store.ReadThumbnail(*id);
               if (!bytes.ok()) return SendStatus(res, bytes.status());
               SendJpeg(res, *bytes);
             });
  // The WAV clip recorded after the snapshot (issue 5); 404 without one.
  server.Get("/api/snapshots/([^/]+)/audio",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               const auto id = IdOrReply(req, res);
               if (!id) return;
               Result<std::vector<uint8_t>> bytes = ctx.store.ReadAudio(*id);
               if (!bytes.ok()) return SendStatus(res, bytes.status());
               res.status = 200;
               res.set_header("Cache-Control", "private, max-age=3600");
               res.set_content(reinterpret_cast<const char*>(bytes->data()),
                               bytes->size(), "audio/wav");
             });
  server.Post("/api/snapshots/([^/]+)/keep",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                const auto id = IdOrReply(req, res);
                if (!id) return;
                Result<bool> kept = ParseKeepBody(req.body);
                if (!kept.ok()) {
                  return SendError(res, 400, "InvalidBody",
                                   kept.status().message());
                }
                Status s = ctx.store.SetKept(*id, *kept);
                if (!s.ok()) return SendStatus(res, s);
                Result<store::SnapshotRecord> r = ctx.store.Get(*id);
                if (!r.ok()) return SendStatus(res, r.status());
                SendJson(res, 200, SnapshotJson(*r));
              });
}

}  // namespace vigil::web
