// SPDX-License-Identifier: Apache-2.0
// Crash simulation and rebuilds: whatever state a kill -9 or a user's file
// manager leaves, reopening makes the index agree with the folders.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <thread>

#include "store/layout.h"
#include "tests/store/store_fixture.h"

namespace vigil::store {
namespace {

using RecoveryTest = StoreFixture;

void WriteBytes(const fs::path& p, const std::vector<uint8_t>& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::map<std::string, SnapshotRecord> ByPath(
    const std::vector<SnapshotRecord>& rows) {
  std::map<std::string, SnapshotRecord> out;
  for (const auto& r : rows) out[r.rel_path] = r;
  return out;
}

// Checks that every row has its file and every snapshot file has its row.
void ExpectIndexMatchesDisk(const std::vector<SnapshotRecord>& rows,
                            const std::vector<std::string>& files) {
  std::set<std::string> jpgs;
  for (const auto& f : files) {
    EXPECT_EQ(f.find(".vigil-tmp-"), std::string::npos) << f;
    if (f.ends_with(".jpg")) jpgs.insert(f);
  }
  std::set<std::string> indexed;
  for (const auto& r : rows) indexed.insert(r.rel_path);
  EXPECT_EQ(indexed, jpgs);
}

TEST_F(RecoveryTest, ReopenAfterCrashCleansTempFilesAndReconciles) {
  OpenStore();
  const auto a = SaveOk("cam", kBaseMs, 1);
  const auto b = SaveOk("cam", kBaseMs + 1000, 2);
  SaveOk("cam", kBaseMs + 2000, 3);
  store_.reset();
  const fs::path day = dir_ / "snapshots/cam/2026-03-14";
  // Killed mid-write: a half temp file. Killed between rename and insert:
  // a complete file without a row. A file deleted behind our back: a row
  // without a file.
  auto half = testing::MakeJpeg(64, 48, 9);
  half.resize(half.size() / 2);
  WriteBytes(day / ".vigil-tmp-AbC123", half);
  WriteBytes(day / "150930.jpg", testing::MakeJpeg(40, 30, 4));
  // Killed while writing the camera's `.camera-name`: a temp file beside
  // the day folders.
  WriteBytes(day.parent_path() / ".vigil-tmp-Cam456", {'c', 'a'});
  fs::remove(dir_ / b.rel_path);
  OpenStore();
  const auto rows = AllRows();
  ExpectIndexMatchesDisk(rows, FilesOnDisk("snapshots"));
  auto by_path = ByPath(rows);
  ASSERT_TRUE(by_path.count("snapshots/cam/2026-03-14/150930.jpg"));
  const auto& orphan = by_path["snapshots/cam/2026-03-14/150930.jpg"];
  EXPECT_EQ(orphan.camera, "cam");
  EXPECT_EQ(orphan.width, 40);
  EXPECT_EQ(orphan.captured_at_ms, kBaseMs - 535 + 4000);  // from its name
  EXPECT_FALSE(by_path.count(b.rel_path));
  EXPECT_EQ(by_path[a.rel_path].id, a.id);  // untouched rows keep their id
  EXPECT_EQ(store_->Stats().count, 3);
}

TEST_F(RecoveryTest, DeletedDayFolderDropsItsRows) {
  OpenStore();
  SaveOk("cam", kBaseMs, 1);
  SaveOk("cam", kBaseMs + 86400000, 2);  // next day
  SaveOk("gone", kBaseMs, 3);
  store_.reset();
  fs::remove_all(dir_ / "snapshots/cam/2026-03-14");
  fs::remove_all(dir_ / "snapshots/gone");
  OpenStore();
  const auto rows = AllRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].rel_path, "snapshots/cam/2026-03-15/150926.jpg");
  EXPECT_EQ(store_->Cameras(), std::vector<std::string>{"cam"});
}

TEST_F(RecoveryTest, LostIndexIsRebuiltWithTimesAndKeptMarks) {
  OpenStore();
  std::vector<SnapshotRecord> before;
  before.push_back(SaveOk("front door", kBaseMs, 1));  // needs .camera-name
  before.push_back(SaveOk("front door", kBaseMs + 10, 2));  // same second
  before.push_back(SaveOk("yard", kBaseMs + 3600000, 3));
  ASSERT_TRUE(store_->SetKept(before[1].id, true).ok());
  before[1].kept = true;
  store_.reset();
  for (const char* f :
       {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"}) {
    fs::remove(dir_ / f);
  }
  OpenStore();
  auto after = ByPath(AllRows());
  ASSERT_EQ(after.size(), before.size());
  for (const auto& b : before) {
    ASSERT_TRUE(after.count(b.rel_path)) << b.rel_path;
    const auto& r = after[b.rel_path];
    EXPECT_EQ(r.camera, b.camera);
    EXPECT_EQ(r.captured_at_ms, b.captured_at_ms) << "exact ms from mtime";
    EXPECT_EQ(r.size_bytes, b.size_bytes);
    EXPECT_EQ(r.width, b.width);
    EXPECT_EQ(r.height, b.height);
    EXPECT_EQ(r.kept, b.kept) << b.rel_path;
  }
}

TEST_F(RecoveryTest, CorruptIndexIsMovedAsideAndRebuilt) {
  OpenStore();
  SaveOk("cam", kBaseMs, 1);
  SaveOk("cam", kBaseMs + 1000, 2);
  store_.reset();
  fs::remove(dir_ / "index.sqlite-wal");
  fs::remove(dir_ / "index.sqlite-shm");
  std::ofstream(dir_ / "index.sqlite", std::ios::trunc)
      << std::string(4096, 'G');
  OpenStore();
  EXPECT_EQ(AllRows().size(), 2u);
  bool moved_aside = false;
  for (const auto& e : fs::directory_iterator(dir_)) {
    moved_aside |=
        e.path().filename().string().starts_with("index.sqlite.corrupt-");
  }
  EXPECT_TRUE(moved_aside);
}

TEST_F(RecoveryTest, ReindexFixesEverythingAndSkipsBadFiles) {
  OpenStore();
  const auto a = SaveOk("cam", kBaseMs, 1);
  const auto b = SaveOk("cam", kBaseMs + 1000, 2);
  const fs::path day = dir_ / "snapshots/cam/2026-03-14";
  fs::remove(dir_ / a.rel_path);                                 // gone
  WriteBytes(day / "151000.jpg", testing::MakeJpeg(20, 10, 5));  // new
  WriteBytes(day / "151001.jpg", {'n', 'o', 'p', 'e'});          // junk
  WriteBytes(day / "notes.txt", {'h', 'i'});                     // ignored
  WriteBytes(dir_ / b.rel_path, testing::MakeJpeg(30, 20, 6));   // replaced
  WriteBytes(fs::path(dir_ / b.rel_path).concat(".keep"), {});   // kept
  auto report = store_->Reindex();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->files_seen, 3);
  EXPECT_EQ(report->rows_added, 1);
  EXPECT_EQ(report->rows_removed, 1);
  EXPECT_EQ(report->rows_updated, 1);
  EXPECT_EQ(report->files_skipped, 1);
  auto rows = ByPath(AllRows());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[b.rel_path].id, b.id);
  EXPECT_EQ(rows[b.rel_path].width, 30);
  EXPECT_TRUE(rows[b.rel_path].kept);
  EXPECT_EQ(rows["snapshots/cam/2026-03-14/151000.jpg"].height, 10);
  EXPECT_TRUE(fs::exists(day / "151001.jpg"));  // never deletes user files
  // A second reindex finds nothing to do.
  auto again = store_->Reindex();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rows_added + again->rows_removed + again->rows_updated, 0);
}

TEST_F(RecoveryTest, ReindexLeavesFreshTempFilesAlone) {
  OpenStore();
  SaveOk("cam", kBaseMs, 1);
  const fs::path tmp = dir_ / "snapshots/cam/2026-03-14/.vigil-tmp-live01";
  WriteBytes(tmp, {1, 2, 3});  // as if a Save were writing right now
  ASSERT_TRUE(store_->Reindex().ok());
  EXPECT_TRUE(fs::exists(tmp));
  store_.reset();
  OpenStore();  // at open nobody else can be writing: removed
  EXPECT_FALSE(fs::exists(tmp));
}

// A real kill -9: a child process saves in a loop and is killed at varying
// moments; after each kill the reopened store's index and folders agree.
TEST_F(RecoveryTest, KillNineDuringSavesLeavesIndexAndFoldersInAgreement) {
  const auto jpeg = testing::MakeJpeg(320, 240, 3);
  size_t last_count = 0;
  for (int round = 0; round < 6; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto s = SnapshotStore::Open(Options());
      if (!s.ok()) ::_exit(3);
      for (int i = 0;; ++i) {
        (void)(*s)->Save("cam", AtMs(kBaseMs + round * 100000 + i * 10), jpeg);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(40 + 37 * round));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early: " << status;
    OpenStore();
    const auto rows = AllRowsPaged();
    ExpectIndexMatchesDisk(rows, FilesOnDisk("snapshots"));
    for (const auto& r : rows) {
      auto bytes = store_->ReadImage(r.id);
      ASSERT_TRUE(bytes.ok()) << r.rel_path;
      EXPECT_EQ(*bytes, jpeg) << "half-written file " << r.rel_path;
    }
    EXPECT_GE(rows.size(), last_count);
    last_count = rows.size();
    store_.reset();
  }
  EXPECT_GT(last_count, 0u);
}

}  // namespace
}  // namespace vigil::store
