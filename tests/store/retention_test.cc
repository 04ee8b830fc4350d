// SPDX-License-Identifier: Apache-2.0
// Retention by age and bytes, per camera and global, with kept snapshots.
#include <chrono>

#include "tests/store/store_fixture.h"

namespace vigil::store {
namespace {

using std::chrono::hours;
constexpr int64_t kDayMs = 86400000;

class RetentionFixture : public StoreFixture {
 protected:
  std::vector<SnapshotRecord> Daily(const std::string& cam, int days) {
    std::vector<SnapshotRecord> out;
    for (int d = 0; d < days; ++d) {
      out.push_back(SaveOk(cam, kBaseMs + d * kDayMs, d));
    }
    return out;
  }
  RetentionReport Apply(RetentionPolicy p, int64_t now_ms) {
    p.now = AtMs(now_ms);
    auto r = store_->ApplyRetention(p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RetentionReport{};
  }
  std::vector<std::string> Days(const std::string& cam) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_ / "snapshots" / cam)) {
      if (e.is_directory()) out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(RetentionFixture, GlobalMaxAgeRemovesOldDaysFilesThumbsAndFolders) {
  OpenStore();
  auto recs = Daily("cam", 5);  // 03-14 .. 03-18
  ASSERT_TRUE(store_->ReadThumbnail(recs[0].id).ok());
  const fs::path thumb = dir_ / "thumbs/cam/2026-03-14/150926.jpg";
  ASSERT_TRUE(fs::exists(thumb));
  RetentionPolicy p;
  p.global.max_age = hours(48);
  const auto report = Apply(p, kBaseMs + 4 * kDayMs + 1000);
  // Cutoff = now - 48 h = day 2 + 1 s, so days 0, 1 and 2 go.
  EXPECT_EQ(report.removed_count, 3);
  EXPECT_EQ(report.dirs_removed, 3);
  EXPECT_EQ(Days("cam"),
            (std::vector<std::string>{"2026-03-17", "2026-03-18"}));
  EXPECT_FALSE(fs::exists(thumb));
  EXPECT_FALSE(fs::exists(thumb.parent_path()));
  EXPECT_EQ(AllRows().size(), 2u);
  EXPECT_EQ(store_->Stats().count, 2);
}

TEST_F(RetentionFixture, PerCameraAgeOnlyTouchesThatCamera) {
  OpenStore();
  Daily("a", 4);
  Daily("b", 4);
  RetentionPolicy p;
  p.per_camera["a"].max_age = hours(24);
  const auto report = Apply(p, kBaseMs + 3 * kDayMs);
  EXPECT_EQ(report.removed_count, 2);  // a: days 0, 1 older than 24 h
  const auto stats = store_->Stats();
  EXPECT_EQ(stats.cameras[0].count, 2);
  EXPECT_EQ(stats.cameras[1].count, 4);
}

TEST_F(RetentionFixture, KeptSnapshotsAreNeverPruned) {
  OpenStore();
  auto recs = Daily("cam", 4);
  ASSERT_TRUE(store_->SetKept(recs[0].id, true).ok());
  RetentionPolicy p;
  p.global.max_age = hours(1);
  p.global.max_bytes = 0;
  const auto report = Apply(p, kBaseMs + 10 * kDayMs);
  EXPECT_EQ(report.removed_count, 3);
  EXPECT_TRUE(report.over_limit_kept);
  const auto rows = AllRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, recs[0].id);
  EXPECT_TRUE(fs::exists(dir_ / recs[0].rel_path));
  EXPECT_TRUE(fs::exists(dir_ / (recs[0].rel_path + ".keep")));
}

TEST_F(RetentionFixture, MaxBytesRemovesOldestUntilUnderLimit) {
  OpenStore();
  auto a = Daily("a", 6);
  auto b = Daily("b", 2);
  int64_t a_bytes = 0;
  for (const auto& r : a) a_bytes += r.size_bytes;
  // Per camera: a keeps its newest snapshots within the newest two's bytes.
  RetentionPolicy p;
  p.per_camera["a"].max_bytes = a[4].size_bytes + a[5].size_bytes;
  auto report = Apply(p, kBaseMs);
  EXPECT_EQ(report.removed_count, 4);
  EXPECT_EQ(report.removed_bytes, a_bytes - *p.per_camera["a"].max_bytes);
  EXPECT_FALSE(report.over_limit_kept);
  // Global: oldest across cameras goes first (b's day 0 before a's day 4).
  RetentionPolicy g;
  const StoreStats s = store_->Stats();
  g.global.max_bytes = s.bytes - 1;
  report = Apply(g, kBaseMs);
  EXPECT_EQ(report.removed_count, 1);
  EXPECT_EQ(store_->Get(b[0].id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Get(a[4].id).ok());
  EXPECT_LE(store_->Stats().bytes, *g.global.max_bytes);
}

TEST_F(RetentionFixture, EmptyPolicyRemovesNothing) {
  OpenStore();
  Daily("cam", 3);
  const auto report = Apply(RetentionPolicy{}, kBaseMs + 100 * kDayMs);
  EXPECT_EQ(report.removed_count, 0);
  EXPECT_EQ(AllRows().size(), 3u);
}

}  // namespace
}  // namespace vigil::store
