// SPDX-License-Identifier: Apache-2.0
// SnapshotStore with real folders and a real SQLite file: save, layout,
// listing and paging, images, thumbnails, kept marks, concurrency.
#include "store/snapshot_store.h"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <thread>

#include "store/layout.h"
#include "tests/store/store_fixture.h"
#include "vision/decode.h"

namespace vigil::store {
namespace {

using StoreTest = StoreFixture;

TEST_F(StoreTest, SaveWritesDatedFileAndRow) {
  OpenStore();
  const auto jpeg = testing::MakeJpeg(64, 48, 7);
  auto rec = store_->Save("front_door", AtMs(kBaseMs), jpeg);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_GT(rec->id, 0);
  EXPECT_EQ(rec->camera, "front_door");
  EXPECT_EQ(rec->captured_at_ms, kBaseMs);
  EXPECT_EQ(rec->rel_path, "snapshots/front_door/2026-03-14/150926.jpg");
  EXPECT_EQ(rec->size_bytes, static_cast<int64_t>(jpeg.size()));
  EXPECT_EQ(rec->width, 64);
  EXPECT_EQ(rec->height, 48);
  EXPECT_FALSE(rec->kept);
  // The file holds exactly the bytes and carries the capture time as mtime.
  auto bytes = store_->ReadImage(rec->id);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, jpeg);
  struct stat st;
  ASSERT_EQ(::stat((dir_ / rec->rel_path).c_str(), &st), 0);
  EXPECT_EQ(int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1000000,
            kBaseMs);
  auto got = store_->Get(rec->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->rel_path, rec->rel_path);
  EXPECT_EQ(
      FilesOnDisk("snapshots"),
      (std::vector<std::string>{"snapshots/front_door/.camera-name",
                                "snapshots/front_door/2026-03-14/150926.jpg"}));
}

TEST_F(StoreTest, SameSecondCapturesGetSuffixes) {
  OpenStore();
  EXPECT_EQ(SaveOk("cam", kBaseMs, 1).rel_path,
            "snapshots/cam/2026-03-14/150926.jpg");
  EXPECT_EQ(SaveOk("cam", kBaseMs + 100, 2).rel_path,
            "snapshots/cam/2026-03-14/150926-1.jpg");
  EXPECT_EQ(SaveOk("cam", kBaseMs + 200, 3).rel_path,
            "snapshots/cam/2026-03-14/150926-2.jpg");
  EXPECT_EQ(SaveOk("other", kBaseMs, 4).rel_path,
            "snapshots/other/2026-03-14/150926.jpg");
}

TEST_F(StoreTest, TraversalCameraNamesStayInsideSnapshots) {
  OpenStore();
  for (const std::string name : {"../../evil", "/etc", "..", "a/../../b"}) {
    auto rec = SaveOk(name, kBaseMs);
    EXPECT_TRUE(IsSafeRelPath(rec.rel_path)) << rec.rel_path;
    const fs::path full = fs::weakly_canonical(dir_ / rec.rel_path);
    EXPECT_EQ(full.string().rfind((dir_ / "snapshots").string(), 0), 0u)
        << full;
    EXPECT_EQ(store_->Get(rec.id)->camera, name);
  }
  EXPECT_FALSE(fs::exists(dir_.parent_path() / "evil"));
  EXPECT_EQ(store_->Cameras().size(), 4u);
  auto empty = store_->Save("", AtMs(kBaseMs), testing::MakeJpeg(8, 8));
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, CorruptJpegStoresNothing) {
  OpenStore();
  auto jpeg = testing::MakeJpeg(64, 48);
  jpeg.resize(jpeg.size() - 40);  // a cut-off upload
  auto rec = store_->Save("cam", AtMs(kBaseMs), jpeg);
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(rec.status().message().find("camera 'cam'"), std::string::npos);
  const std::string html = "<html>401 Unauthorized</html>";
  auto rec2 = store_->Save(
      "cam", AtMs(kBaseMs),
      {reinterpret_cast<const uint8_t*>(html.data()), html.size()});
  EXPECT_EQ(rec2.status().code(), StatusCode::kCorrupt);
  for (const std::string& f : FilesOnDisk("snapshots")) {
    EXPECT_FALSE(f.ends_with(".jpg")) << f;
    EXPECT_EQ(f.find(".vigil-tmp-"), std::string::npos) << f;
  }
  EXPECT_TRUE(AllRows().empty());
  EXPECT_EQ(store_->Stats().count, 0);
}

TEST_F(StoreTest, ListFiltersNewestFirst) {
  OpenStore();
  for (int i = 0; i < 10; ++i)
    SaveOk(i % 2 ? "odd" : "even", kBaseMs + i * 1000, i);
  SnapshotQuery q;
  auto all = store_->List(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->items.size(), 10u);
  EXPECT_FALSE(all->next_cursor);
  for (size_t i = 1; i < all->items.size(); ++i) {
    EXPECT_GT(all->items[i - 1].captured_at_ms, all->items[i].captured_at_ms);
  }
  q.camera = "odd";
  q.from_ms = kBaseMs + 3000;
  q.to_ms = kBaseMs + 9000;  // exclusive
  auto odd = store_->List(q);
  ASSERT_TRUE(odd.ok());
  std::vector<int64_t> times;
  for (const auto& r : odd->items) times.push_back(r.captured_at_ms - kBaseMs);
  EXPECT_EQ(times, (std::vector<int64_t>{7000, 5000, 3000}));
  q.camera = "nobody";
  EXPECT_TRUE(store_->List(q)->items.empty());
  q.cursor = "garbage";
  EXPECT_EQ(store_->List(q).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, CursorPagingVisitsEveryRowOnce) {
  OpenStore();
  // 130 snapshots, many sharing a millisecond, so ties are broken by id.
  for (int i = 0; i < 130; ++i)
    SaveOk("cam", kBaseMs + (i / 3) * 1000, i, 16, 16);
  SnapshotQuery q;
  q.limit = 7;
  std::vector<SnapshotRecord> seen;
  int pages = 0;
  while (true) {
    auto page = store_->List(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_LE(page->items.size(), 7u);
    seen.insert(seen.end(), page->items.begin(), page->items.end());
    ++pages;
    if (!page->next_cursor) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages, 19);
  ASSERT_EQ(seen.size(), 130u);
  std::set<int64_t> ids;
  for (size_t i = 0; i < seen.size(); ++i) {
    ids.insert(seen[i].id);
    if (i > 0) {
      const auto& a = seen[i - 1];
      const auto& b = seen[i];
      EXPECT_TRUE(a.captured_at_ms > b.captured_at_ms ||
                  (a.captured_at_ms == b.captured_at_ms && a.id > b.id));
    }
  }
  EXPECT_EQ(ids.size(), 130u);
  q.cursor.reset();
  q.limit = 100000;
  EXPECT_EQ(store_->List(q)->items.size(), 130u);  // clamped to 500
  q.limit = -5;
  EXPECT_EQ(store_->List(q)->items.size(), 1u);  // clamped to 1
}

TEST_F(StoreTest, ThumbnailIsMadeOnceAndCached) {
  OpenStore();
  const auto rec = SaveOk("cam", kBaseMs, 1, 1280, 720);
  auto thumb = store_->ReadThumbnail(rec.id);
  ASSERT_TRUE(thumb.ok()) << thumb.status().ToString();
  auto info = vision::ValidateJpeg(*thumb);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 180);
  const fs::path cached = dir_ / "thumbs/cam/2026-03-14/150926.jpg";
  ASSERT_TRUE(fs::exists(cached));
  // Served from the cache: overwrite the cache and see that come back.
  std::ofstream(cached, std::ios::binary | std::ios::trunc) << "cached";
  auto again = store_->ReadThumbnail(rec.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::string(again->begin(), again->end()), "cached");
  EXPECT_EQ(store_->ReadThumbnail(rec.id + 100).status().code(),
            StatusCode::kNotFound);
}

TEST_F(StoreTest, KeptMarkLivesInIndexAndSidecar) {
  OpenStore();
  const auto rec = SaveOk("cam", kBaseMs);
  const fs::path sidecar = dir_ / (rec.rel_path + ".keep");
  ASSERT_TRUE(store_->SetKept(rec.id, true).ok());
  EXPECT_TRUE(store_->Get(rec.id)->kept);
  EXPECT_TRUE(fs::exists(sidecar));
  EXPECT_EQ(store_->Stats().cameras.at(0).kept_count, 1);
  ASSERT_TRUE(store_->SetKept(rec.id, false).ok());
  EXPECT_FALSE(store_->Get(rec.id)->kept);
  EXPECT_FALSE(fs::exists(sidecar));
  EXPECT_EQ(store_->SetKept(999, true).code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, StatsAndCameras) {
  OpenStore();
  int64_t bytes_a = 0;
  for (int i = 0; i < 3; ++i)
    bytes_a += SaveOk("a", kBaseMs + i * 1000, i).size_bytes;
  const int64_t bytes_b = SaveOk("b", kBaseMs + 5000, 9).size_bytes;
  const StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.count, 4);
  EXPECT_EQ(stats.bytes, bytes_a + bytes_b);
  ASSERT_EQ(stats.cameras.size(), 2u);
  EXPECT_EQ(stats.cameras[0].camera, "a");
  EXPECT_EQ(stats.cameras[0].count, 3);
  EXPECT_EQ(stats.cameras[0].bytes, bytes_a);
  EXPECT_EQ(stats.cameras[0].oldest_ms, kBaseMs);
  EXPECT_EQ(stats.cameras[0].newest_ms, kBaseMs + 2000);
  EXPECT_EQ(store_->Cameras(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(StoreTest, ConcurrentSavesInTheSameSecondAllLand) {
  OpenStore();
  constexpr int kThreads = 4, kEach = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store_->Save("cam", AtMs(kBaseMs + i),
                              testing::MakeJpeg(16, 16, t * 100 + i));
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        (void)store_->List({});
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> paths;
  for (const auto& r : AllRows()) paths.insert(r.rel_path);
  EXPECT_EQ(paths.size(), static_cast<size_t>(kThreads * kEach));
  size_t jpgs = 0;
  for (const auto& f : FilesOnDisk("snapshots")) jpgs += f.ends_with(".jpg");
  EXPECT_EQ(jpgs, static_cast<size_t>(kThreads * kEach));
}

TEST_F(StoreTest, SecondOpenOfTheSameDataDirIsRefused) {
  OpenStore();
  auto second = SnapshotStore::Open(Options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  store_.reset();
  EXPECT_TRUE(SnapshotStore::Open(Options()).ok());  // lock released
}

TEST_F(StoreTest, LocalTimeFoldersByDefault) {
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  StoreOptions o = Options();
  o.utc_folders = false;
  auto s = SnapshotStore::Open(o);
  ASSERT_TRUE(s.ok());
  auto rec = (*s)->Save("cam", AtMs(kBaseMs), testing::MakeJpeg(8, 8));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->rel_path, "snapshots/cam/2026-03-14/160926.jpg");
  EXPECT_EQ(rec->captured_at_ms, kBaseMs);  // the index stays UTC
  unsetenv("TZ");
  tzset();
}

}  // namespace
}  // namespace vigil::store
