// SPDX-License-Identifier: Apache-2.0
// Reports in the real index (real migrations, FTS5): store, latest per
// camera, search, and cleanup when retention deletes the snapshot.
#include "store/report_search.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "store/snapshot_store.h"
#include "tests/analysis/store_fixture.h"
#include "tests/vision/jpeg_samples.h"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

class ReportStoreTest : public analysis::StoreFixture {
 protected:
  int64_t Snap(const std::string& camera, int64_t at_ms) {
    auto r = store_->Save(camera,
                          std::chrono::system_clock::time_point(
                              std::chrono::milliseconds(at_ms)),
                          testing::MakeJpeg(64, 48, int(at_ms % 97)));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : 0;
  }
  StoredReport Add(int64_t snapshot, const std::string& json) {
    StoredReport in;
    in.snapshot_id = snapshot;
    in.model = "tiny";
    in.prompt_version = "report-v1";
    in.json = json;
    in.timings_json = R"({"generate_ms":12})";
    in.duration_ms = 34;
    auto r = reports_->Add(in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : StoredReport{};
  }

};

constexpr char kPorch[] =
    R"({"scene":"A courier stands at the front door.","subjects":[{"kind":)"
    R"("person","description":"courier in a yellow jacket","count":1}],)"
    R"("activity":"Leaving a parcel.","flags":["package_delivered"]})";
constexpr char kDrive[] =
    R"({"scene":"Driveway with a red car.","subjects":[{"kind":"vehicle",)"
    R"("description":"red hatchback","count":1}],"activity":"Parking.",)"
    R"("flags":[]})";

TEST_F(ReportStoreTest, AddAndLatest) {
  const int64_t a = Snap("porch", 1'700'000'000'000);
  const int64_t b = Snap("porch", 1'700'000'060'000);
  const StoredReport ra = Add(a, kPorch);
  EXPECT_EQ(ra.camera, "porch");
  EXPECT_EQ(ra.captured_at_ms, 1'700'000'000'000);
  Add(b, kDrive);
  auto latest = reports_->LatestForCamera("porch");
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->snapshot_id, b);
  EXPECT_EQ((*latest)->timings_json, R"({"generate_ms":12})");
  EXPECT_EQ((*latest)->prompt_version, "report-v1");
  auto none = reports_->LatestForCamera("garden");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto by_snap = reports_->LatestForSnapshot(a);
  ASSERT_TRUE(by_snap.ok() && by_snap->has_value());
  EXPECT_EQ((*by_snap)->json, kPorch);
  // The gallery's snapshot row carries the report too.
  auto rec = store_->Get(a);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(reports_->Count().value(), 2);
}

TEST_F(ReportStoreTest, UnknownSnapshotIsNotFound) {
  StoredReport in;
  in.snapshot_id = 999;
  in.json = kPorch;
  EXPECT_EQ(reports_->Add(in).status().code(), StatusCode::kNotFound);
}

TEST_F(ReportStoreTest, FullTextSearch) {
  const int64_t a = Snap("porch", 1'700'000'000'000);
  const int64_t b = Snap("drive", 1'700'000'060'000);
  Add(a, kPorch);
  Add(b, kDrive);
  auto hits = reports_->Search({.text = "yellow jacket", .camera = {},
                                .limit = 10});
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].report.snapshot_id, a);
  EXPECT_NE((*hits)[0].snippet.find("[yellow]"), std::string::npos);
  // Prefix on the last word, stemming, flags and subject kinds.
  EXPECT_EQ(reports_->Search({.text = "hatch"}).value().size(), 1u);
  EXPECT_EQ(reports_->Search({.text = "parcels"}).value().size(), 1u);
  EXPECT_EQ(reports_->Search({.text = "package_delivered"}).value().size(), 1u);
  EXPECT_EQ(reports_->Search({.text = "vehicle"}).value().size(), 1u);
  EXPECT_EQ(reports_->Search({.text = "red", .camera = "porch"}).value().size(),
            0u);
  // Operators and quotes in user text are only words.
  auto odd = reports_->Search({.text = "\"courier\" OR NEAR( * -"});
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_TRUE(odd->empty());  // all five words must match
  EXPECT_EQ(reports_->Search({.text = "  ?? "}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportStoreTest, RetentionRemovesReportsAndTheirSearchRows) {
  const int64_t a = Snap("porch", 1'700'000'000'000);
  Add(a, kPorch);
  RetentionPolicy policy;
  policy.global.max_bytes = 0;
  ASSERT_TRUE(store_->ApplyRetention(policy).ok());
  EXPECT_EQ(reports_->Count().value(), 0);
  EXPECT_TRUE(reports_->Search({.text = "courier"}).value().empty());
}

TEST(FtsQuery, QuotesEveryWord) {
  EXPECT_EQ(FtsQuery("red car").value(), "\"red\" \"car\"*");
  EXPECT_EQ(FtsQuery("a\"b").value(), "\"a\" \"b\"*");
  EXPECT_FALSE(FtsQuery("").ok());
}

}  // namespace
}  // namespace vigil::store
