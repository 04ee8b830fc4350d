// SPDX-License-Identifier: Apache-2.0
// A camera with an audio source (a real media file with an audio track,
// through the same libav path as RTSP): each snapshot gets a clip beside it
// in the real store; retention removes both; a reindex finds both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "capture/audio/wav.h"
#include "capture/scheduler.h"
#include "store/layout.h"
#include "store/snapshot_store.h"
#include "tests/capture/audio/mux_helper.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;

class ClipCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_clip_capture_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 3 s of a 440 Hz tone, stereo 44.1 kHz FLAC in Matroska.
    std::vector<float> stereo(44100 * 3 * 2);
    for (size_t i = 0; i < stereo.size(); ++i) {
      stereo[i] = 0.4f * std::sin(2 * M_PI * 440 * double(i / 2) / 44100);
    }
    media_ = (dir_ / "camera.mka").string();
    ASSERT_TRUE(audio::testing::MuxFlac(stereo, 44100, 2, media_).ok());
    OpenStore();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void OpenStore() {
    store_.reset();
    auto s = store::SnapshotStore::Open({.data_dir = dir_ / "data",
                                         .utc_folders = true});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  CameraConfig Camera(AudioSourceKind source, std::string device) {
    CameraConfig c;
    c.name = "doorbell";
    c.kind = SourceKind::kDemo;
    c.width = 160;
    c.height = 120;
    c.audio = {.source = source, .device = std::move(device), .clip_s = 2};
    return c;
  }
  std::unique_ptr<Scheduler> MakeScheduler(CameraConfig camera) {
    store::SnapshotStore* st = store_.get();
    auto sched = std::make_unique<Scheduler>(
        std::vector<CameraConfig>{std::move(camera)},
        [st](const std::string& cam, CapturedImage&& img) -> Result<int64_t> {
          VIGIL_ASSIGN_OR_RETURN(auto rec,
                                 st->Save(cam, img.captured_at, img.jpeg));
          return rec.id;
        });
    sched->SetAudio([st](const std::string&, int64_t id,
                         const audio::PcmAudio& clip) -> Status {
      auto wav = audio::EncodeWav16(clip.samples, clip.sample_rate,
                                    clip.channels);
      return st->SaveAudio(id, wav).status();
    });
    return sched;
  }
  // Polls the row until its clip is indexed (recorded off the capture
  // thread) or 30 s pass.
  std::optional<int64_t> WaitForClip(int64_t id) {
    for (int i = 0; i < 300; ++i) {
      auto row = store_->Get(id);
      if (row.ok() && row->audio_ms) return row->audio_ms;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::nullopt;
  }

  fs::path dir_;
  std::string media_;
  std::unique_ptr<store::SnapshotStore> store_;
};

TEST_F(ClipCaptureTest, SnapshotGetsClipBesideItIndexedPrunedAndReindexed) {
  auto sched = MakeScheduler(Camera(AudioSourceKind::kRtsp, media_));
  auto id = sched->SnapNow("doorbell");  // returns before the clip is done
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(WaitForClip(*id), 2000);
  sched.reset();

  auto row = store_->Get(*id);
  ASSERT_TRUE(row.ok());
  const fs::path jpg = dir_ / "data" / row->rel_path;
  const fs::path wav = dir_ / "data" / store::AudioRelPath(row->rel_path);
  EXPECT_TRUE(fs::exists(jpg));
  ASSERT_TRUE(fs::exists(wav));
  EXPECT_EQ(wav.parent_path(), jpg.parent_path());
  EXPECT_EQ(wav.stem(), jpg.stem());
  auto pcm = audio::ReadWavFile(wav.string());
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm->sample_rate, 16000u);
  EXPECT_EQ(pcm->channels, 1);
  EXPECT_EQ(pcm->frames(), 32000u);

  // A reindex from scratch (index lost) finds both again.
  store_.reset();
  for (const char* f : {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"})
    fs::remove(dir_ / "data" / f);
  OpenStore();
  auto page = store_->List({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].audio_ms, 2000);
  EXPECT_TRUE(store_->ReadAudio(page->items[0].id).ok());

  // Retention deletes the snapshot and its clip together.
  store::RetentionPolicy policy;
  policy.global.max_bytes = 0;
  auto pruned = store_->ApplyRetention(policy);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->removed_count, 1);
  EXPECT_FALSE(fs::exists(jpg));
  EXPECT_FALSE(fs::exists(wav));
}

TEST_F(ClipCaptureTest, BrokenAudioSourceNeverCostsTheSnapshot) {
  auto sched = MakeScheduler(
      Camera(AudioSourceKind::kRtsp, (dir_ / "missing.mka").string()));
  auto id = sched->SnapNow("doorbell");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  sched.reset();  // waits for the (failing) clip attempt
  auto row = store_->Get(*id);
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->audio_ms.has_value());
  EXPECT_TRUE(fs::exists(dir_ / "data" / row->rel_path));
}

TEST(CameraAudioConfig, ValidationNamesTheField) {
  CameraConfig c;
  c.name = "porch";
  c.kind = SourceKind::kDemo;
  c.audio = {.source = AudioSourceKind::kRtsp, .device = "", .clip_s = 5};
  Status st = Validate(c);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("cameras.porch.audio.device"), std::string::npos)
      << st.message();
  c.audio = {.source = AudioSourceKind::kAlsa, .device = "", .clip_s = 0};
  st = Validate(c);
  EXPECT_NE(st.message().find("cameras.porch.audio.clip_s"), std::string::npos)
      << st.message();
  c.audio.clip_s = 61;
  EXPECT_FALSE(Validate(c).ok());
  c.audio.clip_s = 5;
  EXPECT_TRUE(Validate(c).ok());
  EXPECT_EQ(*ParseAudioSourceKind("alsa"), AudioSourceKind::kAlsa);
  EXPECT_FALSE(ParseAudioSourceKind("pulse").ok());
}

}  // namespace
}  // namespace vigil::capture
