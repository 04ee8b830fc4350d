// SPDX-License-Identifier: Apache-2.0
// The analysis HTTP API against a real WebServer, store and report index:
// GET /api/search, GET /api/snapshots/{id}[/report], GET
// /api/analysis/status, POST /api/snapshots/{id}/analyze.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "capture/scheduler.h"
#include "store/report_search.h"
#include "store/snapshot_store.h"
#include "tests/vision/jpeg_samples.h"
#include "web/auth.h"
#include "web/server.h"

namespace vigil::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kToken[] = "analysis-token-0123456789";

class SearchApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil-search-api-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    store_ = std::move(store::SnapshotStore::Open({.data_dir = dir_,
                                                   .utc_folders = true}))
                 .value();
    reports_ = std::move(store::ReportIndex::Open(dir_ / "index.sqlite"))
                   .value();
    scheduler_ = std::make_unique<capture::Scheduler>(
        std::vector<capture::CameraConfig>{},
        [](const std::string&, capture::CapturedImage&&) -> Result<int64_t> {
          return int64_t{0};
        });
    WebOptions web;
    web.port = 0;
    web.password_hash = HashPassword("not-used-password", 1000);
    web.api_tokens = {kToken};
    server_ = std::make_unique<WebServer>(
        web, *store_, *scheduler_,
        LiveSources{.events = nullptr, .alerts = nullptr,
                    .max_event_streams = 4, .reports = reports_.get(),
                    .analysis_status =
                        [] { return std::string(R"({"model_loaded":false,)"
                                                R"("message":"no model"})"); },
                    .analyze_snapshot = [this](int64_t id) -> Status {
                      requested_.push_back(id);
                      if (id == 7777) return Unavailable("analysis is off");
                      return OkStatus();
                    }});
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_bearer_token_auth(kToken);
  }
  void TearDown() override {
    server_->Stop();
    server_.reset();
    scheduler_.reset();
    reports_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  int64_t SnapWithReport(const std::string& cam, int64_t ms,
                         const std::string& report) {
    auto r = store_->Save(cam,
                          std::chrono::system_clock::time_point(
                              std::chrono::milliseconds(ms)),
                          testing::MakeJpeg(64, 48, int(ms % 31)));
    EXPECT_TRUE(r.ok());
    store::StoredReport in;
    in.snapshot_id = r->id;
    in.model = "tiny";
    in.prompt_version = "report-v1";
    in.json = report;
    in.timings_json = R"({"generate_ms":5,"forced_tokens":20})";
    EXPECT_TRUE(reports_->Add(in).ok());
    return r->id;
  }
  json Get(const std::string& path, int want_status) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, want_status) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  fs::path dir_;
  std::unique_ptr<store::SnapshotStore> store_;
  std::unique_ptr<store::ReportIndex> reports_;
  std::unique_ptr<capture::Scheduler> scheduler_;
  std::unique_ptr<WebServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::vector<int64_t> requested_;
};

constexpr char kFox[] =
    R"({"scene":"A fox crosses the lawn.","subjects":[{"kind":"animal",)"
    R"("description":"red fox","count":1}],"activity":"Walking past.",)"
    R"("flags":["animal","night_activity"]})";
constexpr char kVan[] =
    R"({"scene":"A white van in the driveway.","subjects":[{"kind":)"
    R"("vehicle","description":"delivery van","count":1}],"activity":)"
    R"("Parked.","flags":["unknown_vehicle"]})";

TEST_F(SearchApiTest, SearchFindsReports) {
  const int64_t fox = SnapWithReport("garden", 1'700'000'000'000, kFox);
  SnapWithReport("drive", 1'700'000'100'000, kVan);
  json r = Get("/api/search?q=fox", 200);
  ASSERT_EQ(r["items"].size(), 1u);
  EXPECT_EQ(r["items"][0]["snapshot_id"], fox);
  EXPECT_EQ(r["items"][0]["report"]["subjects"][0]["kind"], "animal");
  EXPECT_EQ(r["items"][0]["timings"]["forced_tokens"], 20);
  EXPECT_NE(r["items"][0]["snippet"].get<std::string>().find("[fox]"),
            std::string::npos);
  EXPECT_EQ(Get("/api/search?q=van&camera=garden", 200)["items"].size(), 0u);
  EXPECT_EQ(Get("/api/search?q=deliv", 200)["items"].size(), 1u);
  EXPECT_EQ(Get("/api/search?q=%22%29%28*", 400)["code"], "InvalidQuery");
  EXPECT_EQ(Get("/api/search?q=fox&bogus=1", 400)["code"], "InvalidQuery");
  EXPECT_EQ(Get("/api/search?q=fox&limit=x", 400)["code"], "InvalidQuery");
  EXPECT_EQ(Get("/api/search", 400)["code"], "InvalidQuery");
}

TEST_F(SearchApiTest, SnapshotCarriesItsReport) {
  const int64_t fox = SnapWithReport("garden", 1'700'000'000'000, kFox);
  json s = Get("/api/snapshots/" + std::to_string(fox), 200);
  EXPECT_EQ(s["report"]["scene"], "A fox crosses the lawn.");
  json full = Get("/api/snapshots/" + std::to_string(fox) + "/report", 200);
  EXPECT_EQ(full["model"], "tiny");
  EXPECT_EQ(full["prompt_version"], "report-v1");
  EXPECT_EQ(full["timings"]["generate_ms"], 5);
  Get("/api/snapshots/999/report", 404);
  EXPECT_EQ(Get("/api/snapshots/abc/report", 400)["code"], "InvalidId");
}

TEST_F(SearchApiTest, StatusAndOnDemand) {
  json st = Get("/api/analysis/status", 200);
  EXPECT_EQ(st["model_loaded"], false);
  auto res = client_->Post("/api/snapshots/12/analyze", "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202) << res->body;
  res = client_->Post("/api/snapshots/7777/analyze", "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(requested_, (std::vector<int64_t>{12, 7777}));
  // Without credentials: refused like every API route.
  httplib::Client anon("127.0.0.1", server_->port());
  auto denied = anon.Get("/api/search?q=fox");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
}

}  // namespace
}  // namespace vigil::web
