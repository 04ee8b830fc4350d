// SPDX-License-Identifier: Apache-2.0
// Sampler filters and seeding, and the generation loop on a real model.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "inference/kernels/thread_pool.h"
#include "inference/text/generate.h"
#include "inference/text/sampling.h"
#include "tests/golden/golden.h"

namespace vigil::text {
namespace {

const std::vector<float> kLogits = {1.0f, 3.0f, 2.0f, 0.5f, 2.9f};

TEST(SamplingTest, GreedyAndZeroTemperaturePickArgMax) {
  Sampler greedy({.greedy = true}, kLogits.size());
  EXPECT_EQ(greedy.Sample(kLogits), 1);
  Sampler cold({.temperature = 0.0f}, kLogits.size());
  EXPECT_EQ(cold.Sample(kLogits), 1);
}

TEST(SamplingTest, TopKOneIsArgMaxAndSeedsReproduce) {
  Sampler k1({.top_k = 1, .seed = 7}, kLogits.size());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(k1.Sample(kLogits), 1);
  Sampler a({.top_k = 0, .top_p = 1.0f, .seed = 42}, kLogits.size());
  Sampler b({.top_k = 0, .top_p = 1.0f, .seed = 42}, kLogits.size());
  std::set<int32_t> seen;
  for (int i = 0; i < 200; ++i) {
    int32_t x = a.Sample(kLogits);
    EXPECT_EQ(x, b.Sample(kLogits));
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 5u);  // unfiltered: every token shows up
}

TEST(SamplingTest, TopPAndMinPDropTheTail) {
  // Probabilities ~ {0.05, 0.40, 0.15, 0.03, 0.36}: top_p 0.7 keeps {1, 4}.
  Sampler top_p({.top_k = 0, .top_p = 0.7f, .seed = 1}, kLogits.size());
  Sampler min_p({.top_k = 0, .top_p = 1.0f, .min_p = 0.5f, .seed = 1},
                kLogits.size());
  std::map<int32_t, int> counts;
  for (int i = 0; i < 500; ++i) {
    int32_t x = top_p.Sample(kLogits);
    EXPECT_TRUE(x == 1 || x == 4) << x;
    int32_t y = min_p.Sample(kLogits);  // keeps p >= 0.5 * p_max: {1, 4}
    EXPECT_TRUE(y == 1 || y == 4) << y;
    ++counts[x];
  }
  EXPECT_GT(counts[1], counts[4]);  // still weighted by probability
}

TEST(SamplingTest, ValidatesOptions) {
  EXPECT_FALSE(ValidateSamplerOptions({.temperature = -1.0f}).ok());
  EXPECT_FALSE(ValidateSamplerOptions({.top_k = -2}).ok());
  EXPECT_FALSE(ValidateSamplerOptions({.top_p = 0.0f}).ok());
  EXPECT_FALSE(ValidateSamplerOptions({.min_p = 1.5f}).ok());
  EXPECT_TRUE(ValidateSamplerOptions({}).ok());
}

// Greedy generation reproduces llama.cpp's exact-GELU greedy ids of the
// short prompt on the e2b model and stops on a stop id.
TEST(GenerateTest, GreedyContinuationAndStopIds) {
  auto model = Model::Load(golden::RefPath("text/gemma4-e2b-tiny-F32.gguf"));
  ASSERT_TRUE(model.ok());
  auto ref = golden::ReadJson(
      golden::RefPath("text/gemma4-e2b-tiny/F32/reference.json"));
  ASSERT_TRUE(ref.ok());
  const auto& p = (*ref)["prompts"][0];
  auto prompt = p["ids"].get<std::vector<int32_t>>();
  auto expected = p["greedy_ids_exactgelu"].get<std::vector<int32_t>>();
  kernels::ThreadPool pool(2);
  SessionOptions session_options;
  session_options.n_ctx = 64;
  session_options.precision = kernels::MatMulPrecision::kFloat32;
  auto session = Session::Create(**model, pool, session_options);
  ASSERT_TRUE(session.ok());
  std::vector<int32_t> got;
  std::vector<float> first_logits;
  GenerateOptions options{.max_tokens = 8,
                          .sampling = {.greedy = true},
                          .stop_ids = {},
                          .prompt_logits = &first_logits};
  auto stats = Generate(**session, prompt, options, [&](int32_t id) {
    got.push_back(id);
    return true;
  });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->stop, StopReason::kMaxTokens);
  EXPECT_EQ(first_logits.size(), 768u);
  EXPECT_EQ(got, std::vector<int32_t>(expected.begin(), expected.begin() + 8));

  (*session)->Reset();
  got.clear();
  options.stop_ids = {expected[3]};
  stats = Generate(**session, prompt, options, [&](int32_t id) {
    got.push_back(id);
    return true;
  });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->stop, StopReason::kEndOfGeneration);
  EXPECT_EQ(got, std::vector<int32_t>(expected.begin(), expected.begin() + 3));
}

}  // namespace
}  // namespace vigil::text
