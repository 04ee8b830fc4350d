// SPDX-License-Identifier: Apache-2.0
// The analysis worker with a real store, the tiny models and synthetic
// camera sequences: first look, still scenes skipped, motion analysed with
// a crop, on-demand requests, opt-out, and no model at all.
#include "analysis/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "analysis/prompt.h"
#include "tests/analysis/store_fixture.h"
#include "tests/analysis/tiny_models.h"

namespace vigil::analysis {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class WorkerTest : public StoreFixture {
 protected:
  void TearDown() override {
    worker_.reset();
    StoreFixture::TearDown();
  }

  WorkerOptions Options() {
    WorkerOptions o;
    o.defaults.image_budget = 70;
    o.analyzer.max_tokens = 48;
    o.analyzer.sampling.seed = 9;
    return o;
  }
  void StartWorker(WorkerOptions o, inference::Engine* engine) {
    worker_ = std::make_unique<AnalysisWorker>(
        std::move(o), *store_, *reports_, engine,
        WorkerHooks{.on_motion =
                        [this](const std::string& cam, int64_t id, int64_t) {
                          motion_ids_.push_back(id);
                          motion_cams_.push_back(cam);
                        },
                    .on_report =
                        [this](const store::StoredReport& r, const Report&) {
                          report_ids_.push_back(r.snapshot_id);
                        }},
        engine == nullptr ? "analysis.model is empty" : "");
    ASSERT_TRUE(worker_->Start().ok());
  }
  // Saves a frame as camera `cam` at second `t` and tells the worker.
  int64_t Capture(const std::string& cam, int t, const cv::Mat& frame) {
    const int64_t ms = 1'700'000'000'000 + int64_t(t) * 1000;
    auto r = store_->Save(cam,
                          std::chrono::system_clock::time_point(
                              milliseconds(ms)),
                          testing::Jpeg(frame));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    worker_->OnSnapshot(cam, r->id, ms);
    EXPECT_TRUE(worker_->WaitIdle(std::chrono::seconds(120)));
    return r->id;
  }

  std::unique_ptr<AnalysisWorker> worker_;
  // Written by worker threads, read after WaitIdle.
  std::vector<int64_t> motion_ids_, report_ids_;
  std::vector<std::string> motion_cams_;
};

TEST_F(WorkerTest, MotionGatesAnalysis) {
  StartWorker(Options(), &testing::TinyEngine());
  const int64_t first = Capture("porch", 0, testing::YardFrame(640, 480));
  ASSERT_EQ(report_ids_.size(), 1u);  // first look at the camera
  EXPECT_EQ(report_ids_[0], first);
  for (int t = 1; t <= 3; ++t) {
    Capture("porch", t * 10, testing::YardFrame(640, 480, -1, 0, t));
  }
  EXPECT_EQ(report_ids_.size(), 1u) << "a still scene was re-analysed";
  EXPECT_EQ(worker_->status().still_skipped, 3);
  const int64_t person =
      Capture("porch", 40, testing::YardFrame(640, 480, 500, 200, 5));
  ASSERT_EQ(motion_ids_.size(), 1u);
  EXPECT_EQ(motion_ids_[0], person);
  ASSERT_EQ(report_ids_.size(), 2u);
  auto stored = reports_->LatestForSnapshot(person);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE(ParseReport((*stored)->json, ReportLimits{}).ok());
  EXPECT_NE((*stored)->timings_json.find("\"trigger\":\"motion\""),
            std::string::npos);
  EXPECT_NE((*stored)->timings_json.find("\"cropped\":true"),
            std::string::npos) << (*stored)->timings_json;
  EXPECT_EQ((*stored)->prompt_version, kPromptVersion);
  const WorkerStatus st = worker_->status();
  EXPECT_TRUE(st.model_loaded);
  EXPECT_EQ(st.reports, 2);
  EXPECT_EQ(st.failures, 0) << st.last_error;
  EXPECT_NE(StatusJson(st).find("\"model_loaded\":true"), std::string::npos);
}

TEST_F(WorkerTest, OnDemandAndOptOut) {
  WorkerOptions o = Options();
  CameraAnalysisOptions off = o.defaults;
  off.enabled = false;
  o.cameras["garage"] = off;
  StartWorker(o, &testing::TinyEngine());
  const int64_t g = Capture("garage", 0, testing::YardFrame(320, 240));
  Capture("garage", 10, testing::YardFrame(320, 240, 100, 50));
  EXPECT_TRUE(report_ids_.empty());
  EXPECT_TRUE(motion_ids_.empty());
  EXPECT_EQ(worker_->Request(g).code(), StatusCode::kInvalidArgument);
  const int64_t p = Capture("porch", 0, testing::YardFrame(320, 240));
  ASSERT_TRUE(worker_->Request(p).ok());
  ASSERT_TRUE(worker_->WaitIdle(std::chrono::seconds(120)));
  EXPECT_EQ(std::count(report_ids_.begin(), report_ids_.end(), p), 2);
  EXPECT_EQ(worker_->Request(424242).code(), StatusCode::kNotFound);
}

TEST_F(WorkerTest, WithoutAModelCaptureAndMotionGoOn) {
  StartWorker(Options(), nullptr);
  Capture("porch", 0, testing::YardFrame(640, 480));
  const int64_t person =
      Capture("porch", 10, testing::YardFrame(640, 480, 200, 100, 3));
  EXPECT_EQ(motion_ids_, std::vector<int64_t>{person});  // fast alerts work
  EXPECT_TRUE(report_ids_.empty());
  const WorkerStatus st = worker_->status();
  EXPECT_FALSE(st.model_loaded);
  EXPECT_NE(st.message.find("no model configured"), std::string::npos);
  EXPECT_NE(st.message.find("analysis.model is empty"), std::string::npos);
  EXPECT_EQ(worker_->Request(person).code(), StatusCode::kUnavailable);
}

TEST_F(WorkerTest, BadOptionsAreRefused) {
  WorkerOptions o = Options();
  o.cameras["x"].motion.sensitivity = 3;
  AnalysisWorker w(o, *store_, *reports_, nullptr, {});
  const Status s = w.Start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("sensitivity"), std::string::npos);
}

}  // namespace
}  // namespace vigil::analysis
