// SPDX-License-Identifier: Apache-2.0
// The `analysis:` config section: values, per-camera overrides, and one
// failing case per validation rule (with key path and line).
#include <gtest/gtest.h>

#include "app/config/analysis_section.h"
#include "app/config/load.h"

namespace vigil::app {
namespace {

Result<AppConfig> Load(const std::string& yaml) {
  LoadOptions o;
  o.env = [](const std::string&) { return std::optional<std::string>(); };
  o.hash_iterations = 1000;
  return LoadConfigString(yaml, "config.yaml", "/tmp", o);
}

TEST(AnalysisConfig, DefaultsMeanNoModel) {
  auto c = Load("cameras: {porch: {kind: demo}}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->analysis.model.empty());
  EXPECT_TRUE(c->analysis.defaults.enabled);
  EXPECT_EQ(c->analysis.defaults.periodic_s, 3600);
  // Audio context is on by default (used when the mmproj has an audio
  // tower), capped at one 30 s model chunk.
  EXPECT_TRUE(c->analysis.defaults.audio_context);
  EXPECT_EQ(c->analysis.analyzer.audio_max_s, 30);
}

TEST(AnalysisConfig, AudioContextSectionAndPerCameraOptOut) {
  auto c = Load(R"(
analysis:
  audio_max_s: 12.5
  cameras:
    kitchen: {audio_context: false}
    porch: {}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->analysis.analyzer.audio_max_s, 12.5);
  EXPECT_FALSE(c->analysis.cameras.at("kitchen").audio_context);
  EXPECT_TRUE(c->analysis.cameras.at("porch").audio_context);
  c = Load("analysis: {audio_context: false, cameras: {porch: {}}}\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->analysis.defaults.audio_context);
  EXPECT_FALSE(c->analysis.cameras.at("porch").audio_context);
}

TEST(AnalysisConfig, ParsesEverything) {
  auto c = Load(R"(
analysis:
  model: /m/text.gguf
  mmproj: /m/mmproj.gguf
  threads: 3
  max_tokens: 200
  temperature: 0
  flags: [person_at_door, garage_open]
  periodic_s: 600
  image_budget: 560
  motion: {sensitivity: 0.8, min_area: 0.01,
           masks: ["0,0 0.5,0 0.5,0.2", "0.9,0.9 1,0.9 1,1"]}
  crop: {enabled: true, padding: 1.0, min_side: 320}
  cameras:
    garage: {enabled: false}
    street: {periodic_s: 0, motion: {sensitivity: 0.1}, crop: {enabled: false}}
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const AnalysisConfig& a = c->analysis;
  EXPECT_EQ(a.model, "/m/text.gguf");
  EXPECT_EQ(a.threads, 3);
  EXPECT_EQ(a.analyzer.max_tokens, 200);
  EXPECT_TRUE(a.analyzer.sampling.greedy);
  EXPECT_TRUE(a.flags_set);
  EXPECT_EQ(a.analyzer.limits.flags.size(), 2u);
  EXPECT_EQ(a.defaults.image_budget, 560);
  ASSERT_EQ(a.defaults.motion.masks.size(), 2u);
  EXPECT_FLOAT_EQ(a.defaults.motion.masks[0][1].x, 0.5f);
  EXPECT_EQ(a.defaults.crop.min_side, 320);
  EXPECT_FALSE(a.cameras.at("garage").enabled);
  // Camera entries start from the section's values.
  EXPECT_EQ(a.cameras.at("garage").image_budget, 560);
  EXPECT_EQ(a.cameras.at("street").periodic_s, 0);
  EXPECT_FLOAT_EQ(a.cameras.at("street").motion.sensitivity, 0.1f);
  EXPECT_EQ(a.cameras.at("street").motion.masks.size(), 2u);
  EXPECT_FALSE(a.cameras.at("street").crop.enabled);
}

TEST(AnalysisConfig, EachRuleHasAFailingCase) {
  struct Case {
    const char* yaml;
    const char* part;
  };
  const Case cases[] = {
      {"analysis: {model: /a.gguf}", "analysis.mmproj"},
      {"analysis: {mmproj: /a.gguf}", "analysis.model"},
      {"analysis: {threads: -1}", "analysis.threads"},
      {"analysis: {max_tokens: 5}", "analysis.max_tokens"},
      {"analysis: {temperature: 3}", "analysis.temperature"},
      {"analysis: {image_budget: 100}", "analysis.image_budget"},
      {"analysis: {periodic_s: -5}", "analysis.periodic_s"},
      {"analysis: {audio_max_s: 0}", "analysis.audio_max_s"},
      {"analysis: {audio_max_s: 600}", "analysis.audio_max_s"},
      {"analysis: {audio_context: maybe}", "analysis.audio_context"},
      {"analysis: {flags: []}", "analysis.flags"},
      {"analysis: {flags: [Bad Flag]}", "analysis.flags"},
      {"analysis: {motion: {sensitivity: 2}}", "sensitivity"},
      {"analysis: {motion: {masks: [\"0,0 1,1\"]}}", "at least 3 points"},
      {"analysis: {motion: {masks: [\"0,0 2,0 1,1\"]}}", "[0, 1]"},
      {"analysis: {motion: {masks: [\"a,b c,d e,f\"]}}", "expected points"},
      {"analysis: {crop: {min_side: 8}}", "crop.min_side"},
      {"analysis: {crop: {zoom: 2}}", "zoom"},
      {"analysis: {cameras: {porch: {enable: false}}}", "enable"},
      {"analysis: {modle: /x}", "modle"},
  };
  for (const Case& c : cases) {
    auto r = Load(c.yaml);
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.part), std::string::npos)
        << c.yaml << " -> " << r.status().message();
    EXPECT_NE(r.status().message().find("config.yaml line"), std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace vigil::app
