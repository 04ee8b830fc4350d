// SPDX-License-Identifier: Apache-2.0
// GET /api/snapshots/{id} says whether a clip exists; /audio serves the WAV
// by id with the same authentication as images.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "capture/audio/wav.h"
#include "tests/web/api_client.h"
#include "tests/web/test_fixture.h"

namespace vigil::web::testing {
namespace {

using std::chrono::milliseconds;
const std::chrono::system_clock::time_point kT0{milliseconds(1767225600000)};

std::vector<uint8_t> ToneWav(double seconds) {
  std::vector<float> pcm(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = 0.25f * std::sin(2 * M_PI * 330 * double(i) / 16000);
  }
  return capture::audio::EncodeWav16(pcm, 16000, 1);
}

class AudioApiTest : public ::testing::Test {
 protected:
  AudioApiTest() : api_(app_.port()) {}
  void SetUp() override { ASSERT_EQ(api_.Login(kPassword), 200); }
  Appliance app_;
  ApiClient api_;
};

TEST_F(AudioApiTest, MetadataFlagsAndServesTheClip) {
  const auto ids = app_.Seed("front_door", 2, kT0, milliseconds(1000));
  const std::vector<uint8_t> wav = ToneWav(1.25);
  ASSERT_TRUE(app_.store().SaveAudio(ids[0], wav).ok());
  const std::string with = "/api/snapshots/" + std::to_string(ids[0]);
  const std::string without = "/api/snapshots/" + std::to_string(ids[1]);

  auto meta = nlohmann::json::parse(api_.Get(with)->body);
  EXPECT_EQ(meta["audio"], true);
  EXPECT_EQ(meta["audio_ms"], 1250);
  EXPECT_EQ(meta["audio_url"], with + "/audio");
  auto bare = nlohmann::json::parse(api_.Get(without)->body);
  EXPECT_EQ(bare["audio"], false);
  EXPECT_FALSE(bare.contains("audio_url"));

  auto clip = api_.Get(with + "/audio");
  ASSERT_TRUE(clip);
  EXPECT_EQ(clip->status, 200);
  EXPECT_EQ(clip->get_header_value("Content-Type"), "audio/wav");
  EXPECT_EQ(clip->body, std::string(wav.begin(), wav.end()));
  auto none = api_.Get(without + "/audio");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  auto bad = api_.Get("/api/snapshots/x1/audio");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(AudioApiTest, ClipNeedsAuthLikeImages) {
  const auto ids = app_.Seed("front_door", 1, kT0, milliseconds(1000));
  ASSERT_TRUE(app_.store().SaveAudio(ids[0], ToneWav(0.5)).ok());
  const std::string base = "/api/snapshots/" + std::to_string(ids[0]);
  ApiClient anonymous(app_.port());
  auto image = anonymous.Get(base + "/image");
  auto clip = anonymous.Get(base + "/audio");
  ASSERT_TRUE(image && clip);
  EXPECT_EQ(clip->status, image->status);
  EXPECT_EQ(clip->status, 401);
}

}  // namespace
}  // namespace vigil::web::testing
