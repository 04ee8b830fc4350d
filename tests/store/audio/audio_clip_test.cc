// SPDX-License-Identifier: Apache-2.0
// A clip beside each snapshot: `<HHMMSS>.wav` next to the JPEG, indexed,
// deleted with its snapshot by retention, found again by a reindex.
#include <cmath>
#include <fstream>
#include <vector>

#include "capture/audio/wav.h"
#include "store/layout.h"
#include "tests/store/store_fixture.h"

namespace vigil::store {
namespace {

std::vector<uint8_t> ToneWav(double seconds) {
  std::vector<float> pcm(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = 0.3f * std::sin(2 * M_PI * 440 * double(i) / 16000);
  }
  return capture::audio::EncodeWav16(pcm, 16000, 1);
}

class AudioClipTest : public StoreFixture {};

TEST_F(AudioClipTest, SavedBesideTheJpegAndIndexed) {
  OpenStore();
  SnapshotRecord snap = SaveOk("porch", kBaseMs);
  EXPECT_FALSE(snap.audio_ms.has_value());
  const std::vector<uint8_t> wav = ToneWav(2.5);
  auto saved = store_->SaveAudio(snap.id, wav);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->audio_ms, 2500);

  const std::string clip_rel = AudioRelPath(snap.rel_path);
  EXPECT_TRUE(clip_rel.ends_with("/150926.wav")) << clip_rel;
  EXPECT_EQ(FilesOnDisk("snapshots"),
            (std::vector<std::string>{
                "snapshots/porch/.camera-name", snap.rel_path, clip_rel}));
  auto row = store_->Get(snap.id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->audio_ms, 2500);
  auto bytes = store_->ReadAudio(snap.id);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, wav);
  EXPECT_EQ(AllRows().at(0).audio_ms, 2500);  // List carries it too
}

TEST_F(AudioClipTest, BadClipOrUnknownSnapshotWritesNothing) {
  OpenStore();
  SnapshotRecord snap = SaveOk("porch", kBaseMs);
  std::vector<uint8_t> cut = ToneWav(1.0);
  cut.resize(cut.size() / 2);  // data chunk claims more than remains
  auto bad = store_->SaveAudio(snap.id, cut);
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt) << bad.status().ToString();
  EXPECT_EQ(store_->SaveAudio(snap.id, {}).status().code(),
            StatusCode::kCorrupt);
  EXPECT_EQ(store_->SaveAudio(snap.id + 100, ToneWav(1.0)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(FilesOnDisk("snapshots").size(), 2u);  // .camera-name + JPEG
  EXPECT_EQ(store_->ReadAudio(snap.id).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->Get(snap.id)->audio_ms.has_value());
}

TEST_F(AudioClipTest, RetentionDeletesTheClipWithItsSnapshot) {
  OpenStore();
  SnapshotRecord old_snap = SaveOk("porch", kBaseMs);
  SnapshotRecord new_snap = SaveOk("porch", kBaseMs + 3600 * 1000, 1);
  ASSERT_TRUE(store_->SaveAudio(old_snap.id, ToneWav(1.0)).ok());
  ASSERT_TRUE(store_->SaveAudio(new_snap.id, ToneWav(1.0)).ok());
  RetentionPolicy policy;
  policy.global.max_age = std::chrono::seconds(1800);
  policy.now = AtMs(kBaseMs + 3600 * 1000 + 1000);
  auto report = store_->ApplyRetention(policy);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->removed_count, 1);
  EXPECT_EQ(FilesOnDisk("snapshots"),
            (std::vector<std::string>{"snapshots/porch/.camera-name",
                                      new_snap.rel_path,
                                      AudioRelPath(new_snap.rel_path)}));
}

TEST_F(AudioClipTest, ReindexFindsClipsAndDropsVanishedOnes) {
  OpenStore();
  SnapshotRecord a = SaveOk("porch", kBaseMs);
  SnapshotRecord b = SaveOk("porch", kBaseMs + 5000, 1);
  ASSERT_TRUE(store_->SaveAudio(a.id, ToneWav(1.5)).ok());
  ASSERT_TRUE(store_->SaveAudio(b.id, ToneWav(0.5)).ok());
  store_.reset();
  // Lose the index entirely, and one clip behind the store's back.
  fs::remove(dir_ / "index.sqlite");
  fs::remove(dir_ / "index.sqlite-wal");
  fs::remove(dir_ / "index.sqlite-shm");
  fs::remove(dir_ / AudioRelPath(b.rel_path));
  OpenStore();
  auto rows = AllRows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].rel_path, a.rel_path);  // oldest last
  EXPECT_EQ(rows[1].audio_ms, 1500);
  EXPECT_FALSE(rows[0].audio_ms.has_value());
  auto clip = store_->ReadAudio(rows[1].id);
  ASSERT_TRUE(clip.ok()) << clip.status().ToString();

  // A clip that appears later (or disappears) is picked up by Reindex.
  fs::remove(dir_ / AudioRelPath(a.rel_path));
  std::vector<uint8_t> wav = ToneWav(0.5);
  {
    std::ofstream out(dir_ / AudioRelPath(b.rel_path), std::ios::binary);
    out.write(reinterpret_cast<const char*>(wav.data()), wav.size());
  }
  auto report = store_->Reindex();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows_updated, 2);
  rows = AllRows();
  EXPECT_EQ(rows[0].audio_ms, 500);
  EXPECT_FALSE(rows[1].audio_ms.has_value());
}

}  // namespace
}  // namespace vigil::store
