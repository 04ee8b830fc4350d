// SPDX-License-Identifier: Apache-2.0
// Scheduler with real sources: the demo camera, the local HTTP camera and a
// watch folder. Waits poll statuses with generous deadlines (no timing
// asserts beyond "did it happen at all").
#include "capture/scheduler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "capture/jpeg_check.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// A thread-safe sink that keeps what it was given, like the store would.
class RecordingSink {
 public:
  SnapshotSink AsSink() {
    return [this](const std::string& camera, CapturedImage&& img) {
      return Save(camera, std::move(img));
    };
  }
  Result<int64_t> Save(const std::string& camera, CapturedImage&& img) {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_) return IoError("disk full");
    auto checked = CheckJpeg(img.jpeg, img.captured_at, camera);
    if (!checked.ok()) return checked.status();
    images_[camera].push_back(std::move(img));
    return ++next_id_;
  }
  size_t Count(const std::string& camera) {
    std::lock_guard<std::mutex> lock(mu_);
    return images_[camera].size();
  }
  void SetFail(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_ = fail;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<CapturedImage>> images_;
  int64_t next_id_ = 0;
  bool fail_ = false;
};

// Polls `pred` until true or 30 s pass.
template <typename Pred>
bool WaitFor(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

CameraConfig Demo(const std::string& name, double interval) {
  CameraConfig c;
  c.name = name;
  c.kind = SourceKind::kDemo;
  c.width = 160;
  c.height = 90;
  c.interval_s = interval;
  return c;
}

TEST(BackoffDelayTest, DoublesAndCaps) {
  CameraConfig c;
  c.interval_s = 10;
  c.max_backoff_s = 600;
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 0).count(), 10);
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 1).count(), 20);
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 3).count(), 80);
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 6).count(), 600);
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 1000).count(), 600);
  c.interval_s = 3600;  // the cap never shortens the normal interval
  EXPECT_DOUBLE_EQ(BackoffDelay(c, 4).count(), 3600);
}

TEST(SchedulerTest, CapturesOnScheduleAndReportsStatus) {
  RecordingSink sink;
  CameraConfig off = Demo("off", 1);
  off.enabled = false;
  CameraConfig bad = Demo("bad", 1);
  bad.interval_s = 0;
  Scheduler scheduler({Demo("yard", 0.05), off, bad}, sink.AsSink());
  ASSERT_TRUE(scheduler.Start().ok());
  EXPECT_FALSE(scheduler.Start().ok());  // already running
  ASSERT_TRUE(WaitFor([&] { return sink.Count("yard") >= 3; }));
  scheduler.Stop();
  EXPECT_FALSE(scheduler.running());

  auto st = scheduler.Statuses();
  ASSERT_EQ(st.size(), 3u);
  EXPECT_EQ(st[0].name, "yard");
  EXPECT_TRUE(st[0].online);
  EXPECT_GE(st[0].captures_total, 3u);
  EXPECT_EQ(st[0].captures_total, sink.Count("yard"));
  EXPECT_EQ(st[0].failures_total, 0u);
  ASSERT_TRUE(st[0].last_snapshot_id.has_value());
  ASSERT_TRUE(st[0].last_snapshot_time.has_value());
  EXPECT_EQ(st[0].description, "demo scene");
  EXPECT_FALSE(st[1].enabled);
  EXPECT_EQ(st[1].captures_total, 0u);
  EXPECT_EQ(sink.Count("off"), 0u);
  EXPECT_FALSE(st[2].online);
  EXPECT_EQ(st[2].last_error_code, StatusCode::kInvalidArgument);
  EXPECT_NE(st[2].last_error.find("interval_s"), std::string::npos);
}

TEST(SchedulerTest, SnapNowWorksWithoutStartAndReportsErrors) {
  RecordingSink sink;
  CameraConfig off = Demo("off", 60);
  off.enabled = false;
  Scheduler scheduler({Demo("yard", 3600), off}, sink.AsSink());
  auto id = scheduler.SnapNow("yard");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 1);
  EXPECT_EQ(scheduler.SnapNow("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(scheduler.SnapNow("off").status().code(),
            StatusCode::kUnavailable);
  sink.SetFail(true);
  auto failed = scheduler.SnapNow("yard");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIo);
  auto st = scheduler.StatusOf("yard");
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->online);
  EXPECT_EQ(st->failures_total, 1u);
  EXPECT_NE(st->last_error.find("storing the snapshot"), std::string::npos);
  sink.SetFail(false);
  ASSERT_TRUE(scheduler.SnapNow("yard").ok());
  EXPECT_TRUE(scheduler.StatusOf("yard")->online);
  EXPECT_EQ(scheduler.StatusOf("yard")->consecutive_failures, 0);
}

TEST(SchedulerTest, FailingCameraBacksOffThenRecovers) {
  testing::LocalCameraServer server("u", "camera-password-xyz");
  RecordingSink sink;
  CameraConfig c;
  c.name = "flaky";
  c.kind = SourceKind::kHttp;
  c.url = "http://u:camera-password-xyz@127.0.0.1:" +
          std::to_string(server.port()) + "/flaky.jpg";
  c.interval_s = 0.02;
  c.max_backoff_s = 0.3;
  Scheduler scheduler({c}, sink.AsSink());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitFor(
      [&] { return scheduler.Statuses()[0].consecutive_failures >= 4; }));
  auto st = scheduler.Statuses()[0];
  EXPECT_FALSE(st.online);
  EXPECT_EQ(st.last_error_code, StatusCode::kUnavailable);
  EXPECT_NE(st.last_error.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(st.last_error.find("camera-password-xyz"), std::string::npos);
  EXPECT_EQ(st.description.find("camera-password-xyz"), std::string::npos);
  ASSERT_TRUE(st.next_attempt && st.last_attempt);
  EXPECT_GE(*st.next_attempt, *st.last_attempt);

  server.fail_flaky = false;
  ASSERT_TRUE(WaitFor([&] { return sink.Count("flaky") >= 1; }));
  ASSERT_TRUE(WaitFor([&] { return scheduler.Statuses()[0].online; }));
  scheduler.Stop();
  st = scheduler.Statuses()[0];
  EXPECT_EQ(st.consecutive_failures, 0);
  EXPECT_TRUE(st.last_error.empty());
  EXPECT_GE(st.failures_total, 4u);
  EXPECT_FALSE(st.next_attempt.has_value());  // stopped
}

TEST(SchedulerTest, StopInterruptsWaitsAndHangingCaptures) {
  testing::LocalCameraServer server("u", "p-hang-1234");
  RecordingSink sink;
  CameraConfig hang;
  hang.name = "hang";
  hang.kind = SourceKind::kHttp;
  hang.url = server.Url("/hang");
  hang.timeout_s = 300;  // only cancellation can end it quickly
  Scheduler scheduler({Demo("slow", 3600), hang}, sink.AsSink());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return sink.Count("slow") >= 1; }));
  ASSERT_TRUE(WaitFor([&] { return server.hangs_started.load() >= 1; }));
  auto t0 = std::chrono::steady_clock::now();
  scheduler.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, seconds(60));
  // Restartable after a stop.
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return sink.Count("slow") >= 2; }));
  scheduler.Stop();
}

TEST(SchedulerTest, DrainsWatchFolderAndStaysOnlineWhenIdle) {
  fs::path dir = fs::temp_directory_path() /
                 ("vigil_sched_watch_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < 3; ++i) {
    auto jpeg = testing::MakeJpeg(32, 24, i);
    std::ofstream(dir / ("img" + std::to_string(i) + ".jpg"), std::ios::binary)
        .write(reinterpret_cast<const char*>(jpeg.data()),
               static_cast<std::streamsize>(jpeg.size()));
  }
  RecordingSink sink;
  CameraConfig c;
  c.name = "ftp";
  c.kind = SourceKind::kWatchFolder;
  c.folder = dir.string();
  c.interval_s = 0.05;
  Scheduler scheduler({c}, sink.AsSink());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return sink.Count("ftp") >= 3; }));
  auto drained_at = std::chrono::system_clock::now();
  ASSERT_TRUE(WaitFor([&] {  // one more, idle attempt
    auto s = scheduler.Statuses()[0];
    return s.last_attempt && *s.last_attempt > drained_at;
  }));
  scheduler.Stop();
  auto st = scheduler.Statuses()[0];
  EXPECT_TRUE(st.online);
  EXPECT_EQ(st.captures_total, 3u);
  EXPECT_EQ(st.failures_total, 0u);
  EXPECT_EQ(sink.Count("ftp"), 3u);
  EXPECT_TRUE(fs::exists(dir / "done" / "img2.jpg"));
  EXPECT_EQ(scheduler.SnapNow("ftp").status().code(), StatusCode::kNotFound);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::capture
