// SPDX-License-Identifier: Apache-2.0
// The engine facade on the tiny random models: the text is meaningless, but
// under the report grammar every description is a valid report, for every
// seed and image.
#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/prompt.h"
#include "analysis/report.h"
#include "inference/grammar/schema_compile.h"
#include "tests/analysis/tiny_models.h"

namespace vigil::analysis {
namespace {

using testing::TinyEngine;

inference::DescribeOptions Options(uint64_t seed, int max_tokens) {
  inference::DescribeOptions o;
  o.image_budget = 70;
  o.max_tokens = max_tokens;
  o.sampling = {.greedy = false, .temperature = 1.5f, .top_k = 0,
                .top_p = 1.0f, .min_p = 0.0f, .seed = seed};
  return o;
}

TEST(EngineReport, EverySeedAndImageGivesAValidReport) {
  ReportLimits limits;
  limits.scene_max_bytes = 80;
  limits.activity_max_bytes = 60;
  limits.description_max_bytes = 40;
  limits.max_subjects = 3;
  auto g = grammar::CompileJsonSchema(ReportJsonSchema(limits));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  size_t forced = 0, sampled = 0;
  const int sizes[][2] = {{640, 480}, {320, 240}, {200, 360}, {96, 96}};
  for (uint64_t seed = 0; seed < 16; ++seed) {
    const auto& sz = sizes[seed % 4];
    const auto frame = testing::Rgb(
        testing::YardFrame(sz[0], sz[1], int(seed * 7) % (sz[0] / 2), 10,
                           int(seed) + 1));
    PromptContext ctx{.camera = "porch", .local_time = "2026-11-23 21:00",
                      .has_crop = false, .previous = std::nullopt};
    auto d = TinyEngine().Describe({&frame, 1},
                                   BuildReportPrompt(limits, ctx), &*g,
                                   Options(seed, 40 + int(seed) * 5));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    auto report = ParseReport(d->text, limits);
    ASSERT_TRUE(report.ok()) << "seed " << seed << ": "
                             << report.status().ToString() << "\n" << d->text;
    for (const std::string& f : report->flags) {
      EXPECT_NE(std::find(limits.flags.begin(), limits.flags.end(), f),
                limits.flags.end());
    }
    EXPECT_GT(d->timings.n_image_tokens, 0u);
    EXPECT_GT(d->timings.n_forced, 0u);
    forced += d->timings.n_forced;
    sampled += d->timings.n_sampled;
  }
  EXPECT_GT(sampled, 0u);
  EXPECT_GT(forced, 16u * 8);  // keys and punctuation were not sampled
}

TEST(EngineReport, CropAsSecondImageAndPreviousReport) {
  const ReportLimits limits;
  auto g = grammar::CompileJsonSchema(ReportJsonSchema(limits));
  ASSERT_TRUE(g.ok());
  const auto frame = testing::Rgb(testing::YardFrame(640, 480, 300, 100));
  const auto crop = testing::Rgb(testing::YardFrame(256, 256, 100, 20));
  const vision::RgbImage images[] = {frame, crop};
  Report prev;
  prev.scene = "Empty yard.";
  prev.activity = "Nothing moves.";
  PromptContext ctx{.camera = "yard", .local_time = "",
                    .has_crop = true, .previous = prev};
  auto d = TinyEngine().Describe(images, BuildReportPrompt(limits, ctx), &*g,
                                 Options(3, 60));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(ParseReport(d->text, limits).ok()) << d->text;
  // Two images: both encoded.
  EXPECT_GE(d->timings.n_image_tokens, 2u * 40);
}

TEST(EngineReport, FreeTextWithoutGrammar) {
  const auto frame = testing::Rgb(testing::YardFrame(320, 240));
  auto d = TinyEngine().Describe({&frame, 1}, {.system = "", .user = "Hi.", .audio = {}},
                                 nullptr, Options(1, 8));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_LE(d->timings.n_sampled, 8u);
  EXPECT_EQ(d->timings.n_forced, 0u);
}

TEST(EngineReport, BadRequestsAndFiles) {
  const auto frame = testing::Rgb(testing::YardFrame(64, 64));
  auto o = Options(1, 4);
  EXPECT_EQ(TinyEngine().Describe({}, {}, nullptr, o).status().code(),
            StatusCode::kInvalidArgument);
  o.image_budget = 100;
  EXPECT_EQ(TinyEngine().Describe({&frame, 1}, {}, nullptr, o).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(inference::Engine::Load({.text_model = "/nonexistent.gguf",
                                        .mmproj = testing::kTinyMmproj})
                   .ok());
  EXPECT_FALSE(inference::Engine::Load({.text_model = testing::kTinyText,
                                        .mmproj = ""})
                   .ok());
  // An mmproj of another model (E4B tiny has a different width).
  auto mismatch = inference::Engine::Load(
      {.text_model = std::string(VIGIL_SHARED_DIR) +
                     "/ref/text/gemma4-e4b-tiny-F32.gguf",
       .mmproj = testing::kTinyMmproj});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::analysis
