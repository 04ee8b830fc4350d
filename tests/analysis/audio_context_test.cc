// SPDX-License-Identifier: Apache-2.0
// The audio clip as report context on the tiny random models: the engine
// takes a clip (audio tower from the same mmproj as the vision tower), the
// analyzer gives the model a snapshot's clip (resampled to 16 kHz, capped),
// and a bad clip or an mmproj without an audio tower still gives a report.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "analysis/analyzer.h"
#include "analysis/prompt.h"
#include "capture/audio/resample.h"
#include "capture/audio/wav.h"
#include "inference/audio/mel.h"
#include "inference/gguf/names.h"
#include "inference/grammar/schema_compile.h"
#include "store/layout.h"
#include "tests/analysis/store_fixture.h"
#include "tests/analysis/tiny_models.h"
#include "tests/inference/text/model_edit.h"

namespace vigil::analysis {
namespace {

namespace fs = std::filesystem;
using testing::TinyEngine;

const std::string kSpeechWav =
    std::string(VIGIL_SHARED_DIR) + "/ref/audio/speech_16k.wav";
constexpr size_t kSpeechTokens = 86;  // ref/audio/summary.json

std::vector<float> Speech16k() {
  auto pcm = capture::audio::ReadWavFile(kSpeechWav);
  EXPECT_TRUE(pcm.ok()) << pcm.status().ToString();
  return pcm.ok() ? pcm->samples : std::vector<float>{};
}

// `seconds` of a 440 Hz tone, interleaved over `channels`.
std::vector<float> Tone(double seconds, uint32_t rate, uint16_t channels) {
  std::vector<float> out;
  for (size_t i = 0; i < size_t(seconds * rate); ++i) {
    const float v = 0.3f * float(std::sin(2 * M_PI * 440.0 * i / rate));
    for (uint16_t c = 0; c < channels; ++c) out.push_back(v);
  }
  return out;
}

inference::DescribeOptions Options(uint64_t seed) {
  return {.image_budget = 70, .max_tokens = 48,
          .sampling = {.greedy = false, .temperature = 1.0f, .top_k = 0,
                       .top_p = 1.0f, .min_p = 0.0f, .seed = seed}};
}

TEST(EngineAudio, ClipSoftTokensGoIntoTheUserTurn) {
  ASSERT_TRUE(TinyEngine().has_audio());
  const ReportLimits limits;
  auto g = grammar::CompileJsonSchema(ReportJsonSchema(limits));
  ASSERT_TRUE(g.ok());
  const auto frame = testing::Rgb(testing::YardFrame(320, 240));
  inference::DescribePrompt p = BuildReportPrompt(
      limits, {.camera = "porch", .local_time = "", .has_crop = false,
               .previous = std::nullopt, .has_audio = true});
  auto without = TinyEngine().Describe({&frame, 1}, p, &*g, Options(4));
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  const std::vector<float> speech = Speech16k();
  p.audio = speech;
  auto with = TinyEngine().Describe({&frame, 1}, p, &*g, Options(4));
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_TRUE(ParseReport(with->text, limits).ok()) << with->text;
  EXPECT_EQ(with->timings.n_audio_tokens, kSpeechTokens);
  EXPECT_EQ(with->timings.n_audio_tokens,
            audio::CountClipTokens(speech.size()));
  EXPECT_GT(with->timings.audio_encode_s, 0);
  EXPECT_EQ(without->timings.n_audio_tokens, 0u);
  EXPECT_EQ(without->timings.audio_encode_s, 0);
  EXPECT_EQ(with->timings.n_image_tokens, without->timings.n_image_tokens);
  // Same text; the clip adds `<|audio>` + its soft tokens + `<audio|>`.
  EXPECT_EQ(with->timings.n_prompt_tokens,
            without->timings.n_prompt_tokens + kSpeechTokens + 2);
}

TEST(EngineAudio, MmprojWithoutAudioTowerDescribesImagesOnly) {
  auto vision_only = text::testing::WriteEditedCopy(
      testing::kTinyMmproj,
      {.drop_key =
           [](std::string_view k) {
             return k == gguf::key::kClipHasAudio ||
                    k.starts_with("clip.audio.");
           },
       .drop_tensor =
           [](std::string_view t) {
             return t.starts_with("a.") || t.starts_with("mm.a.");
           },
       .add = [](const gguf::GgufFile&, gguf::GgufWriter& w) {
         w.AddBool(gguf::key::kClipHasAudio, false);
       }},
      "mmproj-vision-only.gguf");
  ASSERT_TRUE(vision_only.ok()) << vision_only.status().ToString();
  const auto frame = testing::Rgb(testing::YardFrame(96, 96));
  const std::vector<float> speech = Speech16k();
  for (const auto& [mmproj, audio_on] :
       {std::pair{*vision_only, true}, std::pair{testing::kTinyMmproj, false}}) {
    auto e = inference::Engine::Load({.text_model = testing::kTinyText,
                                      .mmproj = mmproj, .threads = 2,
                                      .n_ctx = 1024, .audio = audio_on});
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_FALSE((*e)->has_audio());
    auto d = (*e)->Describe({&frame, 1},
                            {.system = "", .user = "Hi.", .audio = speech},
                            nullptr, Options(1));
    ASSERT_EQ(d.status().code(), StatusCode::kUnsupported);
    EXPECT_NE(d.status().message().find("no audio tower"), std::string::npos);
    EXPECT_TRUE((*e)->Describe({&frame, 1},
                               {.system = "", .user = "Hi.", .audio = {}},
                               nullptr, Options(1))
                    .ok());
  }
}

class AnalyzerAudioTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    options_.max_tokens = 48;
    options_.sampling.seed = 5;
    options_.previous_report_context = false;  // same text every snapshot
    camera_.image_budget = 70;
  }
  // A snapshot of camera "porch" at second `t`, with a clip when given.
  int64_t Snap(int t, const std::vector<uint8_t>& wav = {}) {
    const int64_t ms = 1'700'000'000'000 + int64_t(t) * 1000;
    auto r = store_->Save("porch",
                          std::chrono::system_clock::time_point(
                              std::chrono::milliseconds(ms)),
                          testing::Jpeg(testing::YardFrame(320, 240)));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!wav.empty()) {
      auto a = store_->SaveAudio(r->id, wav);
      EXPECT_TRUE(a.ok()) << a.status().ToString();
    }
    return r->id;
  }
  Result<AnalysisOutcome> Analyze(int64_t id) {
    auto rec = store_->Get(id);
    if (!rec.ok()) return rec.status();
    auto analyzer =
        Analyzer::Create(TinyEngine(), *store_, *reports_, options_);
    if (!analyzer.ok()) return analyzer.status();
    return (*analyzer)->Run({.trigger = Trigger::kOnDemand,
                             .snapshot_id = id, .camera = rec->camera,
                             .captured_at_ms = rec->captured_at_ms,
                             .motion_bounds = std::nullopt, .frame_width = 0,
                             .frame_height = 0},
                            camera_);
  }
  // The stored timings of the snapshot's latest report.
  nlohmann::json StoredTimings(int64_t id) {
    auto r = reports_->LatestForSnapshot(id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return nlohmann::json::parse((*r)->timings_json);
  }
  fs::path ClipPath(int64_t id) {
    auto rec = store_->Get(id);
    EXPECT_TRUE(rec.ok());
    return dir_ / store::AudioRelPath(rec->rel_path);
  }

  AnalyzerOptions options_;
  CameraAnalysisOptions camera_;
};

TEST_F(AnalyzerAudioTest, SnapshotClipIsHeardAndTimed) {
  const int64_t silent = Snap(0);
  auto a = Analyze(silent);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // The clip as a camera records it: 44.1 kHz stereo.
  auto speech44 = capture::audio::Resample(Speech16k(), 16000, 44100);
  ASSERT_TRUE(speech44.ok());
  std::vector<float> stereo;
  for (float v : *speech44) stereo.insert(stereo.end(), {v, v});
  const int64_t heard =
      Snap(10, capture::audio::EncodeWav16(stereo, 44100, 2));
  auto b = Analyze(heard);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(b->audio_note.empty()) << b->audio_note;
  EXPECT_GT(b->timings.audio_encode_s, 0);

  const nlohmann::json ta = StoredTimings(silent), tb = StoredTimings(heard);
  EXPECT_EQ(ta["audio_tokens"], 0);
  EXPECT_EQ(ta["audio_clip_ms"], 0);
  const int64_t audio_tokens = tb["audio_tokens"];
  EXPECT_NEAR(double(audio_tokens), double(kSpeechTokens), 1.0);
  EXPECT_NEAR(double(tb["audio_clip_ms"]), 55015 / 16.0, 2.0);
  ASSERT_TRUE(tb.contains("audio_encode_ms"));
  // Soft tokens + 2 markers + the sentences about the clip (some 50 words;
  // the tiny vocabulary spends about two tokens a word).
  const int64_t grew = int64_t(tb["prompt_tokens"]) -
                       int64_t(ta["prompt_tokens"]);
  EXPECT_GT(grew, audio_tokens + 2 + 20);
  EXPECT_LT(grew, audio_tokens + 2 + 200);
  EXPECT_EQ(ta["image_tokens"], tb["image_tokens"]);
  auto stored = reports_->LatestForSnapshot(heard);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->prompt_version, kPromptVersionAudio);
  EXPECT_TRUE(ParseReport((*stored)->json, options_.limits).ok());
  EXPECT_EQ((*reports_->LatestForSnapshot(silent))->prompt_version,
            kPromptVersion);
}

TEST_F(AnalyzerAudioTest, BadClipGivesReportWithoutAudioAndAWarning) {
  const auto wav = capture::audio::EncodeWav16(Tone(1, 16000, 1), 16000, 1);
  const int64_t garbled = Snap(0, wav);
  {
    std::ofstream out(ClipPath(garbled), std::ios::binary | std::ios::trunc);
    constexpr char kJunk[] = "RIFF\x10\0\0\0WAVEjunk that is not a wave file";
    out.write(kJunk, sizeof(kJunk) - 1);
  }
  const int64_t gone = Snap(10, wav);
  fs::remove(ClipPath(gone));
  for (int64_t id : {garbled, gone}) {
    ::testing::internal::CaptureStderr();
    auto r = Analyze(id);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->audio_note.empty());
    EXPECT_NE(err.find("reporting without its audio clip"), std::string::npos)
        << err;
    EXPECT_EQ(StoredTimings(id)["audio_tokens"], 0);
    EXPECT_EQ((*reports_->LatestForSnapshot(id))->prompt_version,
              kPromptVersion);
  }
}

TEST_F(AnalyzerAudioTest, LongClipIsCappedAndCameraCanOptOut) {
  options_.audio_max_s = 5;
  const int64_t id =
      Snap(0, capture::audio::EncodeWav16(Tone(40, 16000, 1), 16000, 1));
  auto r = Analyze(id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(StoredTimings(id)["audio_clip_ms"], 5000);
  EXPECT_EQ(StoredTimings(id)["audio_tokens"],
            audio::CountClipTokens(5 * 16000));
  camera_.audio_context = false;
  r = Analyze(id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(StoredTimings(id)["audio_tokens"], 0);
}

}  // namespace
}  // namespace vigil::analysis
