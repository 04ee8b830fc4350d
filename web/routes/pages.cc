// SPDX-License-Identifier: Apache-2.0
// HTML pages and static assets, all from the embedded table.
#include <string>

#include "web/assets.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

// Serves `asset`, answering 304 when the browser's copy is current.
void ServeAsset(const httplib::Request& req, httplib::Response& res,
                const EmbeddedAsset& asset, const char* cache_control) {
  res.set_header("ETag", asset.etag);
  res.set_header("Cache-Control", cache_control);
  if (req.get_header_value("If-None-Match") == asset.etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(reinterpret_cast<const char*>(asset.data), asset.size,
                  asset.content_type);
}

void ServePage(const httplib::Request& req, httplib::Response& res,
               const char* path) {
  const EmbeddedAsset* asset = FindAsset(path);
  VIGIL_CHECK(asset != nullptr);  // pages are part of the build
  // Pages are tiny; revalidate every time so an upgrade shows at once.
  ServeAsset(req, res, *asset, "no-cache");
}

}  // namespace

void AddPageRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/", [](const httplib::Request& req, httplib::Response& res) {
    ServePage(req, res, "/assets/index.html");
  });
  server.Get("/login", [](const httplib::Request& req, httplib::Response& res) {
    ServePage(req, res, "/assets/login.html");
  });
  server.Get("/favicon.svg",
             [](const httplib::Request& req, httplib::Response& res) {
               ServePage(req, res, "/assets/favicon.svg");
             });
  server.Get("/assets/([A-Za-z0-9_.-]+)",
             [](const httplib::Request& req, httplib::Response& res) {
               const EmbeddedAsset* asset = FindAsset(req.path);
               if (asset == nullptr) {
                 res.status = 404;
                 res.set_content("not found\n", "text/plain");
                 return;
               }
               // ETag revalidation keeps upgrades visible without a hash
               // in every URL.
               ServeAsset(req, res, *asset, "no-cache");
             });
}

}  // namespace vigil::web
