// SPDX-License-Identifier: Apache-2.0
// A real snapshot store and report index in a fresh folder per test,
// removed afterwards: the base of the analysis tests that store reports.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/report_search.h"
#include "store/snapshot_store.h"

namespace vigil::analysis {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-analysis-" + std::to_string(::getpid()) + "-" +
            info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    auto s = store::SnapshotStore::Open({.data_dir = dir_,
                                         .utc_folders = true});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto r = store::ReportIndex::Open(dir_ / "index.sqlite");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    reports_ = std::move(*r);
  }
  void TearDown() override {
    reports_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::SnapshotStore> store_;
  std::unique_ptr<store::ReportIndex> reports_;
};

}  // namespace vigil::analysis
