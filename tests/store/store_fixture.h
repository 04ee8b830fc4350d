// SPDX-License-Identifier: Apache-2.0
// A fresh data dir per test plus helpers to open the store and inspect disk.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/snapshot_store.h"
#include "tests/vision/jpeg_samples.h"

namespace vigil::store {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

// 2026-03-14 15:09:26.535 UTC
inline constexpr int64_t kBaseMs = 1773500966535;

inline Clock::time_point AtMs(int64_t ms) {
  return Clock::time_point(std::chrono::milliseconds(ms));
}

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("vigil_store_" + std::string(info->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  StoreOptions Options() const {
    StoreOptions o;
    o.data_dir = dir_;
    o.utc_folders = true;
    return o;
  }
  void OpenStore() {
    store_.reset();
    auto s = SnapshotStore::Open(Options());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  SnapshotRecord SaveOk(const std::string& camera, int64_t ms, int seed = 0,
                        int w = 64, int h = 48) {
    auto r = store_->Save(camera, AtMs(ms), testing::MakeJpeg(w, h, seed));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SnapshotRecord{};
  }
  // Every regular file under the data dir, relative, sorted.
  std::vector<std::string> FilesOnDisk(const std::string& sub) const {
    std::vector<std::string> out;
    if (!fs::exists(dir_ / sub)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / sub)) {
      if (e.is_regular_file()) {
        out.push_back(fs::relative(e.path(), dir_).string());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<SnapshotRecord> AllRows() {
    SnapshotQuery q;
    q.limit = 500;
    auto page = store_->List(q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<SnapshotRecord>{};
  }

  // Every row, following cursors past the 500-row page limit.
  std::vector<SnapshotRecord> AllRowsPaged() {
    std::vector<SnapshotRecord> out;
    SnapshotQuery q;
    q.limit = 500;
    while (true) {
      auto page = store_->List(q);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) return out;
      out.insert(out.end(), page->items.begin(), page->items.end());
      if (!page->next_cursor) return out;
      q.cursor = page->next_cursor;
    }
  }

  fs::path dir_;
  std::unique_ptr<SnapshotStore> store_;
};

}  // namespace vigil::store
