// SPDX-License-Identifier: Apache-2.0
// Gallery API latency with N indexed snapshots: the folders are laid out
// directly (hard links of one small JPEG per camera, so 100k files cost no
// disk), indexed by `Reindex`, and served by the real WebServer on loopback.
#include <cstdio>
#include <ctime>
#include <fstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bench/bench_appliance.h"
#include "capture/scheduler.h"
#include "store/snapshot_store.h"
#include "web/auth.h"
#include "web/server.h"

namespace vigil::bench {
namespace {

namespace fs = std::filesystem;
constexpr char kToken[] = "bench-token-0123456789abcdef";
constexpr int kCameras = 4;
constexpr int64_t kStartS = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int kStepS = 60;               // one snapshot a minute per camera

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// Writes snapshots/cam<c>/<YYYY-MM-DD>/<HHMMSS>.jpg (UTC) for `n` snapshots.
void LayOutFolders(const fs::path& data, int n) {
  for (int c = 0; c < kCameras; ++c) {
    fs::path cam = data / "snapshots" / ("cam" + std::to_string(c));
    fs::create_directories(cam);
    fs::path master = data / ("master" + std::to_string(c) + ".jpg");
    std::vector<unsigned char> jpeg = BenchJpeg(320, 180, c);
    std::ofstream(master, std::ios::binary)
        .write(reinterpret_cast<const char*>(jpeg.data()), jpeg.size());
    for (int i = c; i < n; i += kCameras) {
      time_t t = kStartS + static_cast<time_t>(i / kCameras) * kStepS + c;
      tm utc{};
      gmtime_r(&t, &utc);
      char day[16], name[16];
      std::strftime(day, sizeof day, "%Y-%m-%d", &utc);
      std::strftime(name, sizeof name, "%H%M%S.jpg", &utc);
      fs::create_directories(cam / day);
      fs::create_hard_link(master, cam / day / name);
    }
    fs::remove(master);
  }
}

struct Probe {
  std::string name;
  std::vector<std::string> paths;  // cycled through
};

Row Measure(httplib::Client& cli, const Probe& p, int reps) {
  std::vector<double> ms;
  httplib::Headers h = {{"Authorization", std::string("Bearer ") + kToken}};
  int errors = 0;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto res = cli.Get(p.paths[i % p.paths.size()].c_str(), h);
    ms.push_back(MsSince(t0));
    if (!res || res->status != 200) ++errors;
  }
  double p50 = Percentile(ms, 50), p99 = Percentile(ms, 99);
  return {"  " + p.name, Fmt(p50) + " / " + Fmt(p99) + " ms",
          "p50 / p99 of " + std::to_string(reps) +
              (errors ? ", " + std::to_string(errors) + " errors" : "")};
}

// Returns the cursors of the first `pages` pages of `query`.
std::vector<std::string> CursorPages(httplib::Client& cli,
                                     const std::string& query, int pages) {
  std::vector<std::string> paths = {query};
  httplib::Headers h = {{"Authorization", std::string("Bearer ") + kToken}};
  for (int i = 0; i < pages; ++i) {
    auto res = cli.Get(paths.back().c_str(), h);
    if (!res || res->status != 200) break;
    auto j = nlohmann::json::parse(res->body, nullptr, false);
    if (!j.is_object() || !j["next_cursor"].is_string()) break;
    paths.push_back(query + "&cursor=" + j["next_cursor"].get<std::string>());
  }
  return paths;
}

}  // namespace

std::vector<Row> BenchApi(const fs::path& dir, int n) {
  fs::path data = dir / "api";
  auto t0 = std::chrono::steady_clock::now();
  LayOutFolders(data, n);
  double layout_ms = MsSince(t0);
  // Open reconciles the new day folders (indexes every file); Reindex then
  // re-walks and re-validates everything.
  t0 = std::chrono::steady_clock::now();
  auto store = store::SnapshotStore::Open({.data_dir = data, .utc_folders = true});
  double open_ms = MsSince(t0);
  if (!store.ok()) return {{"api", "error", store.status().ToString()}};
  t0 = std::chrono::steady_clock::now();
  auto re = (*store)->Reindex();
  double reindex_ms = MsSince(t0);
  if (!re.ok()) return {{"api", "error", re.status().ToString()}};
  std::vector<Row> rows = {
      {"index " + std::to_string(n) + " files on open",
       Fmt(open_ms / 1000) + " s",
       Fmt(n / (open_ms / 1000)) + " files/s (files laid out in " +
           Fmt(layout_ms / 1000) + " s)"},
      {"vigil reindex, " + std::to_string(n) + " indexed files",
       Fmt(reindex_ms / 1000) + " s",
       std::to_string(re->files_seen) + " files checked, " +
           std::to_string(re->rows_added) + " rows added"}};

  capture::Scheduler scheduler({}, [](auto&&, auto&&) {
    return Result<int64_t>(Unavailable("no cameras"));
  });
  web::WebOptions opts{.port = 0,
                       .password_hash = web::HashPassword("bench-pw", 1000),
                       .api_tokens = {kToken}};
  web::WebServer server(opts, **store, scheduler);
  if (Status s = server.Start(); !s.ok()) return {{"api", "error", s.ToString()}};
  httplib::Client cli("127.0.0.1", server.port());
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);

  std::vector<std::string> ids;
  for (int i = 1; i <= 200; ++i) ids.push_back(std::to_string(i * (n / 200)));
  std::vector<std::string> thumbs;
  for (int i = 1; i <= 20; ++i) {
    thumbs.push_back("/api/snapshots/" + std::to_string(i * 17) + "/thumbnail");
  }
  std::vector<Probe> probes = {
      {"GET /api/snapshots (first page, 60)", {"/api/snapshots?limit=60"}},
      {"  ?camera=cam2", {"/api/snapshots?camera=cam2&limit=60"}},
      {"  ?from=..&to=.. (one day)",
       {"/api/snapshots?from=2026-01-05&to=2026-01-06&limit=60"}},
      {"  ?camera&from&to",
       {"/api/snapshots?camera=cam1&from=2026-01-03&to=2026-01-04&limit=60"}},
      {"  cursor paging, pages 1..300",
       CursorPages(cli, "/api/snapshots?limit=60", 300)},
      {"  cursor paging by camera, pages 1..300",
       CursorPages(cli, "/api/snapshots?camera=cam3&limit=60", 300)},
      {"GET /api/snapshots/{id}", {}},
      {"GET /api/snapshots/{id}/thumbnail (cached)", thumbs},
      {"GET /api/cameras", {"/api/cameras"}},
  };
  for (const std::string& id : ids) probes[6].paths.push_back("/api/snapshots/" + id);
  rows.push_back({"gallery API, " + std::to_string(n) + " snapshots", "", "loopback, keep-alive"});
  for (const Probe& p : probes) rows.push_back(Measure(cli, p, 300));
  server.Stop();
  return rows;
}

}  // namespace vigil::bench
