// SPDX-License-Identifier: Apache-2.0
// Watch folder with real files: partial uploads wait, complete files are
// ingested once (also across restarts), bad files go to failed/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "capture/source_factory.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;

class WatchFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_watch_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CameraConfig Config() const {
    CameraConfig c;
    c.name = "ftp_cam";
    c.kind = SourceKind::kWatchFolder;
    c.folder = dir_.string();
    c.settle_s = 0;
    return c;
  }
  std::unique_ptr<Source> Make(const CameraConfig& c) {
    auto s = MakeSource(c);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  void Write(const fs::path& rel, const std::vector<uint8_t>& bytes,
             size_t from = 0, size_t to = SIZE_MAX) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream out(dir_ / rel, from ? std::ios::binary | std::ios::app
                                       : std::ios::binary);
    to = std::min(to, bytes.size());
    out.write(reinterpret_cast<const char*>(bytes.data() + from),
              static_cast<std::streamsize>(to - from));
  }

  fs::path dir_;
};

TEST_F(WatchFolderTest, IngestsEachCompleteFileOnceAcrossRestarts) {
  Write("a.jpg", testing::MakeJpeg(100, 80, 1));
  auto source = Make(Config());
  ASSERT_TRUE(source->IsPush());
  auto img = source->Capture();
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 100);
  ASSERT_TRUE(source->Commit().ok());
  EXPECT_TRUE(fs::exists(dir_ / "done" / "a.jpg"));
  EXPECT_FALSE(fs::exists(dir_ / "a.jpg"));
  auto again = source->Capture();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
  auto restarted = Make(Config());  // a new process sees the same folder
  EXPECT_EQ(restarted->Capture().status().code(), StatusCode::kNotFound);
}

TEST_F(WatchFolderTest, PartialFileWaitsUntilFinished) {
  CameraConfig c = Config();
  c.settle_s = 3600;  // only the end marker can declare it complete
  auto source = Make(c);
  auto jpeg = testing::MakeJpeg(300, 200, 2);
  Write("upload.jpg", jpeg, 0, jpeg.size() / 2);
  for (int poll = 0; poll < 3; ++poll) {
    auto r = source->Capture();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
  }
  Write("upload.jpg", jpeg, jpeg.size() / 2);
  auto img = source->Capture();
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 300);
  EXPECT_EQ(img->jpeg.size(), jpeg.size());
}

TEST_F(WatchFolderTest, StableButUndecodableFileMovesToFailed) {
  auto jpeg = testing::MakeJpeg(64, 64, 3);
  Write("broken.jpg", jpeg, 0, jpeg.size() / 2);
  auto source = Make(Config());
  EXPECT_EQ(source->Capture().status().code(), StatusCode::kNotFound);
  auto r = source->Capture();  // same size over two polls: complete, bad
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("broken.jpg"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "failed" / "broken.jpg"));
  EXPECT_EQ(source->Capture().status().code(), StatusCode::kNotFound);
}

TEST_F(WatchFolderTest, UncommittedImageIsOfferedAgain) {
  Write("x.jpg", testing::MakeJpeg(40, 30, 4));
  auto source = Make(Config());
  ASSERT_TRUE(source->Capture().ok());
  // No Commit (the store failed): the file must still be there next time.
  auto img = source->Capture();
  ASSERT_TRUE(img.ok());
  EXPECT_TRUE(fs::exists(dir_ / "x.jpg"));
}

TEST_F(WatchFolderTest, DeleteModeSubfoldersHiddenAndOrder) {
  CameraConfig c = Config();
  c.after_ingest = AfterIngest::kDelete;
  Write("2024/05/new.JPG", testing::MakeJpeg(20, 10, 5));
  Write("old.jpeg", testing::MakeJpeg(10, 20, 6));
  Write(".pureftpd-upload.jpg", testing::MakeJpeg(8, 8, 7));
  Write("notes.txt", {'h', 'i'});
  auto old_time = fs::last_write_time(dir_ / "2024/05/new.JPG") -
                  std::chrono::hours(1);
  fs::last_write_time(dir_ / "old.jpeg", old_time);
  auto source = Make(c);
  auto first = source->Capture();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->width, 10);  // oldest mtime first
  ASSERT_TRUE(source->Commit().ok());
  auto second = source->Capture();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->width, 20);
  ASSERT_TRUE(source->Commit().ok());
  EXPECT_EQ(source->Capture().status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "old.jpeg"));
  EXPECT_FALSE(fs::exists(dir_ / "2024/05/new.JPG"));
  EXPECT_TRUE(fs::exists(dir_ / ".pureftpd-upload.jpg"));
  EXPECT_TRUE(fs::exists(dir_ / "notes.txt"));
  EXPECT_FALSE(fs::exists(dir_ / "done"));
}

TEST_F(WatchFolderTest, MissingFolderIsUnavailable) {
  CameraConfig c = Config();
  c.folder = (dir_ / "nope").string();
  auto r = Make(c)->Capture();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST_F(WatchFolderTest, NameClashInDoneGetsSuffix) {
  auto source = Make(Config());
  for (int i = 0; i < 2; ++i) {
    Write("same.jpg", testing::MakeJpeg(16, 16, i));
    ASSERT_TRUE(source->Capture().ok());
    ASSERT_TRUE(source->Commit().ok());
  }
  EXPECT_TRUE(fs::exists(dir_ / "done" / "same.jpg"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "same-1.jpg"));
}

}  // namespace
}  // namespace vigil::capture
