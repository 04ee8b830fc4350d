// SPDX-License-Identifier: Apache-2.0
// Audio-grounded prompts against llama.cpp (ref/audio): text + audio soft
// tokens (causal) + text; last logits and teacher-forced greedy steps within
// 1e-3 of the exact-GELU reference; micro-batching does not change them.
#include "inference/audio/audio_prompt.h"

#include <memory>

#include "tests/inference/audio/audio_golden.h"

namespace vigil::audio {
namespace {

class AudioPromptTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    auto t = text::Model::Load(testing::kTextModel);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    text_ = std::move(t).value().release();
    auto a = AudioModel::Load(testing::kMmproj);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    audio_ = std::move(a).value().release();
    ASSERT_TRUE(audio_->CheckTextModel(text_->config().n_embd).ok());
  }
  static void TearDownTestSuite() {
    delete text_;
    delete audio_;
  }
  std::string dir() const { return testing::kRefDir + "/" + GetParam(); }

  void SetUp() override {
    ref_ = testing::ReadJson(dir() + "/reference.json");
    auto tokens = EncodeClip(*audio_, testing::ReadFloats(dir() + "/pcm_f32.bin"),
                             pool_, {.precision = kernels::MatMulPrecision::kFloat32,
                                     .on_tensor = {}});
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    tokens_ = std::move(tokens).value();
    before_ = ref_["chunks"][0]["ids"].get<std::vector<int32_t>>();
    after_ = ref_["chunks"][2]["ids"].get<std::vector<int32_t>>();
  }

  std::unique_ptr<text::Session> NewSession() {
    auto s = text::Session::Create(
        *text_, pool_,
        {.n_ctx = 512, .max_ubatch = 128,
         .precision = kernels::MatMulPrecision::kFloat32, .on_tensor = {}});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  std::vector<float> LastLogits(text::Session& s, std::span<const int32_t> ids) {
    std::vector<float> out(s.n_vocab());
    Status st = s.Forward({.ids = ids, .embeddings = {}}, out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  static text::Model* text_;
  static AudioModel* audio_;
  kernels::ThreadPool pool_{2};
  nlohmann::json ref_;
  AudioTokens tokens_;
  std::vector<int32_t> before_, after_;
};
text::Model* AudioPromptTest::text_ = nullptr;
AudioModel* AudioPromptTest::audio_ = nullptr;

TEST_P(AudioPromptTest, LogitsMatchLlamaCpp) {
  auto s = NewSession();
  ASSERT_TRUE(PrefillAudio(*s, before_, tokens_, 128).ok());
  std::vector<float> logits = LastLogits(*s, after_);
  EXPECT_EQ(s->position(), ref_["n_past_after_prompt"].get<size_t>());
  auto d = testing::Compare(logits,
                            testing::ReadFloats(dir() + "/logits_last_exactgelu.bin"));
  EXPECT_LT(d.max_abs, 1e-3) << "rms " << d.rms;
  auto ids = ref_["greedy_ids_exactgelu"].get<std::vector<int32_t>>();
  auto rows = testing::ReadFloats(dir() + "/greedy_logits_exactgelu.bin");
  const size_t v = s->n_vocab();
  for (size_t step = 1; step < ids.size(); ++step) {
    std::vector<float> got = LastLogits(*s, std::span(&ids[step - 1], 1));
    std::vector<float> want(rows.begin() + step * v, rows.begin() + (step + 1) * v);
    EXPECT_LT(testing::Compare(got, want).max_abs, 1e-3) << "greedy step " << step;
  }
}

TEST_P(AudioPromptTest, MicroBatchingDoesNotChangeLogits) {
  auto a = NewSession();
  ASSERT_TRUE(PrefillAudio(*a, before_, tokens_, 128).ok());
  auto b = NewSession();
  ASSERT_TRUE(PrefillAudio(*b, before_, tokens_, 7).ok());
  EXPECT_LT(testing::Compare(LastLogits(*a, after_), LastLogits(*b, after_)).max_abs,
            1e-4);
}

TEST_P(AudioPromptTest, RejectsWrongWidthAndTooSmallContext) {
  auto s = NewSession();
  AudioTokens bad = tokens_;
  bad.n_embd = 3;
  EXPECT_EQ(PrefillAudio(*s, before_, bad, 64).code(), StatusCode::kInvalidArgument);
  auto small = text::Session::Create(*text_, pool_,
      {.n_ctx = 16, .max_ubatch = 16,
       .precision = kernels::MatMulPrecision::kFloat32, .on_tensor = {}});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(PrefillAudio(*small.value(), before_, tokens_, 16).code(),
            StatusCode::kOutOfRange);
}

INSTANTIATE_TEST_SUITE_P(Ref, AudioPromptTest,
                         ::testing::ValuesIn(testing::AllCases()));

}  // namespace
}  // namespace vigil::audio
