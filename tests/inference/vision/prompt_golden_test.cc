// SPDX-License-Identifier: Apache-2.0
// Image-grounded prompts against llama.cpp (shared/ref/vision): text + soft
// tokens (bidirectional within the image, as mtmd decodes gemma4v) + text,
// last logits and teacher-forced greedy steps within 1e-3 of the exact-GELU
// reference; the causal (HF) mode checked against token-by-token feeding.
#include <memory>

#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/vision/image_prompt.h"
#include "tests/inference/vision/vision_golden.h"
#include "vision/gemma_preprocess.h"

namespace vigil::mm {
namespace {

using testing::Case;

class ImagePromptTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    auto t = text::Model::Load(testing::kTextModel);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    text_ = std::move(t).value().release();
    auto v = VisionModel::Load(testing::kMmproj);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    vision_ = std::move(v).value().release();
    ASSERT_TRUE(vision_->CheckTextModel(text_->config().n_embd).ok());
  }
  static void TearDownTestSuite() {
    delete text_;
    delete vision_;
  }

  void SetUp() override {
    ref_ = testing::ReadJson(GetParam().dir() + "/reference.json");
    vision::GemmaPreprocessOptions opt;
    const int lo = ref_["image_min_tokens"], hi = ref_["image_max_tokens"];
    if (lo > 0) opt.limits.min_tokens = lo;
    if (hi > 0) opt.limits.max_tokens = hi;
    auto p = vision::PreprocessForGemma(
        testing::ReadBytes(testing::kRefDir + "/" + GetParam().image + ".png"),
        opt);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    auto s = EncodeImage(*vision_,
                         {.grid_w = uint32_t(p.value().grid_w),
                          .grid_h = uint32_t(p.value().grid_h),
                          .data = p.value().data},
                         pool_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    image_ = std::move(s).value();
    before_ = ref_["chunks"][0]["ids"].get<std::vector<int32_t>>();
    after_ = ref_["chunks"][2]["ids"].get<std::vector<int32_t>>();
  }

  std::unique_ptr<text::Session> NewSession() {
    auto s = text::Session::Create(
        *text_, pool_,
        {.n_ctx = 512,
         .max_ubatch = 256,
         .precision = kernels::MatMulPrecision::kFloat32,
         .on_tensor = {}});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  std::vector<float> LastLogits(text::Session& s,
                                std::span<const int32_t> ids) {
    std::vector<float> out(s.n_vocab());
    Status st = s.Forward({.ids = ids, .embeddings = {}}, out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  static text::Model* text_;
  static VisionModel* vision_;
  kernels::ThreadPool pool_{2};
  nlohmann::json ref_;
  SoftTokens image_;
  std::vector<int32_t> before_, after_;
};
text::Model* ImagePromptTest::text_ = nullptr;
VisionModel* ImagePromptTest::vision_ = nullptr;

TEST_P(ImagePromptTest, BidirectionalLogitsMatchLlamaCpp) {
  auto s = NewSession();
  ASSERT_TRUE(PrefillImage(*s, before_, image_,
                           ImageAttention::kBidirectional).ok());
  std::vector<float> logits = LastLogits(*s, after_);
  EXPECT_EQ(s->position(), ref_["n_past_after_prompt"].get<size_t>());
  auto d = testing::Compare(
      logits, testing::ReadFloats(GetParam().dir() + "/logits_last_exactgelu.bin"));
  EXPECT_LT(d.max_abs, 1e-3) << "rms " << d.rms;
  // Teacher-forced greedy steps of the exact-GELU run.
  auto ids = ref_["greedy_ids_exactgelu"].get<std::vector<int32_t>>();
  auto rows = testing::ReadFloats(GetParam().dir() + "/greedy_logits_exactgelu.bin");
  const size_t v = s->n_vocab();
  for (size_t step = 1; step < ids.size(); ++step) {
    std::vector<float> got = LastLogits(*s, std::span(&ids[step - 1], 1));
    std::vector<float> want(rows.begin() + step * v, rows.begin() + (step + 1) * v);
    auto ds = testing::Compare(got, want);
    EXPECT_LT(ds.max_abs, 1e-3) << "greedy step " << step;
  }
}

TEST_P(ImagePromptTest, CausalImageEqualsTokenByTokenFeeding) {
  auto whole = NewSession();
  ASSERT_TRUE(PrefillImage(*whole, before_, image_, ImageAttention::kCausal).ok());
  std::vector<float> a = LastLogits(*whole, after_);
  auto single = NewSession();
  ASSERT_TRUE(single->Forward({.ids = before_, .embeddings = {},
                               .logits = text::LogitsMode::kNone}, {}).ok());
  const size_t d = image_.n_embd;
  for (size_t t = 0; t < image_.n_tokens; ++t) {
    ASSERT_TRUE(single->Forward({.ids = {},
                                 .embeddings = std::span(&image_.data[t * d], d),
                                 .logits = text::LogitsMode::kNone}, {}).ok());
  }
  std::vector<float> b = LastLogits(*single, after_);
  EXPECT_LT(testing::Compare(a, b).max_abs, 1e-4);
  // And the mask matters: bidirectional differs from causal.
  auto bi = NewSession();
  ASSERT_TRUE(PrefillImage(*bi, before_, image_, ImageAttention::kBidirectional).ok());
  EXPECT_GT(testing::Compare(a, LastLogits(*bi, after_)).max_abs, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(
    AllImagesAndBudgets, ImagePromptTest,
    ::testing::ValuesIn(testing::AllCases()),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.name(); });

TEST(ImagePromptSplit, FindsThePlaceholderOnce) {
  const std::vector<int32_t> ids = {2, 5, 99, 7};
  auto s = SplitAtPlaceholder(ids, 99);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value().before, (std::vector<int32_t>{2, 5}));
  EXPECT_EQ(s.value().after, (std::vector<int32_t>{7}));
  EXPECT_EQ(SplitAtPlaceholder(ids, 42).status().code(),
            StatusCode::kInvalidArgument);
  const std::vector<int32_t> twice = {99, 1, 99};
  EXPECT_EQ(SplitAtPlaceholder(twice, 99).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::mm
