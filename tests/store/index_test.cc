// SPDX-License-Identifier: Apache-2.0
// The index on its own: migrations, cursors, query plans, totals.
#include "store/index.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vigil::store {
namespace {
namespace fs = std::filesystem;

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("vigil_index_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
         std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path db() const { return dir_ / "index.sqlite"; }
  fs::path dir_;
};

SnapshotRecord Row(const std::string& cam, int64_t ms, int n) {
  SnapshotRecord r;
  r.camera = cam;
  r.captured_at_ms = ms;
  r.rel_path = "snapshots/" + cam + "/2026-01-01/" + std::to_string(n) + ".jpg";
  r.size_bytes = 100 + n;
  r.width = 4;
  r.height = 3;
  return r;
}

TEST_F(IndexTest, CursorRoundTripAndRejectsGarbage) {
  auto c = ParseCursor(EncodeCursor(1773500966535, 42));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->first, 1773500966535);
  EXPECT_EQ(c->second, 42);
  for (const char* bad : {"", ":", "1:", ":2", "a:b", "1:2:3", "1 :2",
                          "99999999999999999999:1", "1;2"}) {
    auto r = ParseCursor(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(IndexTest, FreshDatabaseIsMigratedAndInWalMode) {
  auto index = Index::Open(db());
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  index->reset();
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(),
            Migrations().back().version);
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
  for (const char* table :
       {"snapshots", "reports", "events", "meta", "camera_totals"}) {
    EXPECT_TRUE(raw.tableExists(table)) << table;
  }
}

TEST_F(IndexTest, RefusesNewerSchemaAndGarbageFiles) {
  {
    SQLite::Database raw(db().string(),
                         SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE x (a); PRAGMA user_version = 99");
  }
  auto newer = Index::Open(db());
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(newer.status().message().find("99"), std::string::npos);

  const fs::path junk = dir_ / "junk.sqlite";
  std::ofstream(junk) << std::string(8192, 'x');
  auto bad = Index::Open(junk);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt);
}

TEST_F(IndexTest, TotalsFollowInsertsUpdatesAndDeletes) {
  auto index = std::move(Index::Open(db())).value();
  auto a = index->Insert(Row("a", 1000, 1));
  auto b = index->Insert(Row("a", 2000, 2));
  ASSERT_TRUE(index->Insert(Row("b", 3000, 3)).ok());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(index->SetKept(b->id, true).ok());
  auto stats = index->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->count, 3);
  EXPECT_EQ(stats->bytes, 101 + 102 + 103);
  ASSERT_EQ(stats->cameras.size(), 2u);
  EXPECT_EQ(stats->cameras[0].camera, "a");
  EXPECT_EQ(stats->cameras[0].kept_count, 1);
  EXPECT_EQ(stats->cameras[0].oldest_ms, 1000);
  EXPECT_EQ(stats->cameras[0].newest_ms, 2000);
  IndexChanges ch;
  ch.remove = {a->id, b->id};
  ASSERT_TRUE(index->Apply(ch).ok());
  EXPECT_EQ(*index->Cameras(), std::vector<std::string>{"b"});
  EXPECT_EQ(index->SetKept(a->id, true).code(), StatusCode::kNotFound);
}

TEST_F(IndexTest, DayPrefixesSkipWholeDays) {
  auto index = std::move(Index::Open(db())).value();
  for (int i = 0; i < 50; ++i) {
    SnapshotRecord r = Row("cam", i, i);
    r.rel_path = "snapshots/cam/2026-01-0" + std::to_string(1 + i % 3) + "/" +
                 std::to_string(100000 + i) + ".jpg";
    ASSERT_TRUE(index->Insert(r).ok());
  }
  auto days = index->DayPrefixes();
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(*days, (std::vector<std::string>{"snapshots/cam/2026-01-01/",
                                             "snapshots/cam/2026-01-02/",
                                             "snapshots/cam/2026-01-03/"}));
  EXPECT_EQ(index->RowsWithPrefix("snapshots/cam/2026-01-02/")->size(), 17u);
}

TEST_F(IndexTest, BacksUpBeforeMigratingAndRollsBackAFailedMigration) {
  // Every real migration (the Index reads their columns); the test adds
  // its own next version.
  const std::vector<Migration> v1(Migrations().begin(), Migrations().end());
  const int last = v1.back().version;
  const std::string bak_name = "index.sqlite.bak-v" + std::to_string(last);
  {
    auto index = Index::Open(db(), v1);
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE((*index)->Insert(Row("cam", 5, 1)).ok());
  }
  std::vector<Migration> broken = v1;
  broken.push_back({last + 1, "0002_broken.sql",
                    "ALTER TABLE snapshots ADD COLUMN note TEXT; NOT SQL;"});
  auto failed = Index::Open(db(), broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("0002_broken.sql"),
            std::string::npos)
      << failed.status().message();
  {
    SQLite::Database raw(db().string());
    EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), last);
    EXPECT_FALSE(raw.execAndGet("SELECT COUNT(*) FROM pragma_table_info("
                                "'snapshots') WHERE name = 'note'")
                     .getInt());
  }
  std::vector<Migration> v2 = v1;
  v2.push_back(
      {last + 1, "0002_note.sql",
       "ALTER TABLE snapshots ADD COLUMN note TEXT;"});
  auto index = Index::Open(db(), v2);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ((*index)->Get(1)->captured_at_ms, 5);
  index->reset();
  SQLite::Database bak((dir_ / bak_name).string());
  EXPECT_EQ(bak.execAndGet("PRAGMA user_version").getInt(), last);
  EXPECT_EQ(bak.execAndGet("SELECT COUNT(*) FROM snapshots").getInt(), 1);
  SQLite::Database raw(db().string());
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), last + 1);
}

// Gallery queries must walk an index in order: no full scan, no sort.
TEST_F(IndexTest, ListQueriesUseIndexesWithoutSorting) {
  ASSERT_TRUE(Index::Open(db()).ok());
  SQLite::Database raw(db().string());
  std::vector<SnapshotQuery> queries(4);
  queries[1].camera = "front";
  queries[2].camera = "front";
  queries[2].from_ms = 1;
  queries[2].to_ms = 2;
  queries[2].cursor = "5:6";
  queries[3].from_ms = 1;
  queries[3].cursor = "5:6";
  for (const SnapshotQuery& q : queries) {
    SQLite::Statement plan(raw, "EXPLAIN QUERY PLAN " + ListSql(q));
    std::string text;
    while (plan.executeStep()) text += plan.getColumn(3).getString() + "\n";
    EXPECT_NE(text.find("USING"), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
    if (q.camera) {
      EXPECT_NE(text.find("snapshots_by_camera_time"), std::string::npos)
          << text;
    }
  }
}

}  // namespace
}  // namespace vigil::store
