// SPDX-License-Identifier: Apache-2.0
// Golden tests against llama.cpp (shared/ref/vision): preprocessed image and
// token count identical, soft-token embeddings within the README tolerance
// (1e-4 against the exact-GELU build), named intermediates of one case.
#include <map>
#include <memory>

#include "inference/kernels/thread_pool.h"
#include "inference/vision/encoder.h"
#include "tests/inference/vision/vision_golden.h"
#include "vision/gemma_preprocess.h"

namespace vigil::mm {
namespace {

using testing::Case;

class VisionGoldenTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    auto m = VisionModel::Load(testing::kMmproj);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = std::move(m).value().release();
  }
  static void TearDownTestSuite() { delete model_; }

  // Preprocesses the case's image with its token limits.
  static vision::GemmaPatches Preprocess(const Case& c, vision::RgbImage* img) {
    auto p = testing::PreprocessCase(c, img);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : vision::GemmaPatches{};
  }

  static SoftTokens Encode(const vision::GemmaPatches& p, bool table,
                           int threads, VisionTensorCallback cb = {}) {
    kernels::ThreadPool pool(threads);
    auto out = EncodeImage(
        *model_,
        {.grid_w = uint32_t(p.grid_w), .grid_h = uint32_t(p.grid_h),
         .data = p.data},
        pool, {.gelu_fp16_table = table, .on_tensor = std::move(cb)});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? std::move(out).value() : SoftTokens{};
  }

  static VisionModel* model_;
};
VisionModel* VisionGoldenTest::model_ = nullptr;

TEST_P(VisionGoldenTest, PreprocessedImageIsIdentical) {
  const Case& c = GetParam();
  nlohmann::json ref = testing::ReadJson(c.dir() + "/reference.json");
  vision::RgbImage ours;
  vision::GemmaPatches p = Preprocess(c, &ours);
  EXPECT_EQ(ours.width, ref["preprocessed_size"][0].get<int>());
  EXPECT_EQ(ours.height, ref["preprocessed_size"][1].get<int>());
  EXPECT_EQ(p.n_tokens, ref["n_media_tokens"].get<int>());
  EXPECT_EQ(p.grid_w * p.grid_h, ref["n_patches"].get<int>());
  auto png = vision::DecodeImage(testing::ReadBytes(c.dir() + "/preprocessed.png"));
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  ASSERT_EQ(png.value().rgb.size(), ours.rgb.size());
  size_t differ = 0;
  for (size_t i = 0; i < ours.rgb.size(); ++i) {
    differ += ours.rgb[i] != png.value().rgb[i];
  }
  EXPECT_EQ(differ, 0u) << "channel values differ from llama.cpp";
}

TEST_P(VisionGoldenTest, EmbeddingsMatchExactGelu) {
  const Case& c = GetParam();
  vision::GemmaPatches p = Preprocess(c, nullptr);
  SoftTokens t = Encode(p, /*table=*/false, 2);
  EXPECT_EQ(t.n_tokens, size_t(p.n_tokens));
  EXPECT_EQ(t.n_embd, 256u);
  auto d = testing::Compare(
      t.data, testing::ReadFloats(c.dir() + "/embeddings_exactgelu.bin"));
  EXPECT_LT(d.max_abs, 1e-4) << "rms " << d.rms;
}

TEST_P(VisionGoldenTest, EmbeddingsMatchStockWithGeluTable) {
  const Case& c = GetParam();
  vision::GemmaPatches p = Preprocess(c, nullptr);
  SoftTokens t = Encode(p, /*table=*/true, 1);
  auto d = testing::Compare(t.data,
                            testing::ReadFloats(c.dir() + "/embeddings.bin"));
  // Emulating the fp16 table leaves only rounding-flip noise; without it the
  // README lists ~5e-4.
  EXPECT_LT(d.max_abs, 2e-4) << "rms " << d.rms;
}

INSTANTIATE_TEST_SUITE_P(
    AllImagesAndBudgets, VisionGoldenTest,
    ::testing::ValuesIn(testing::AllCases()),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.name(); });

// Named intermediates of portrait_300x500/max48 (dump/), so a regression
// says which layer and tensor diverged first.
TEST_F(VisionGoldenTest, IntermediatesMatchDump) {
  const Case c{"portrait_300x500", "max48"};
  vision::GemmaPatches p = Preprocess(c, nullptr);
  std::map<std::string, std::vector<float>> got;
  Encode(p, /*table=*/true, 1,
         [&](std::string_view name, int layer, const float* data, size_t rows,
             size_t len) {
           std::string key(name);
           if (layer >= 0) key += "-" + std::to_string(layer);
           got[key].assign(data, data + rows * len);
         });
  nlohmann::json list = testing::ReadJson(c.dir() + "/dump/tensors.json");
  for (const auto& t : list) {
    const std::string name = t["name"];
    ASSERT_TRUE(got.count(name)) << "encoder did not emit " << name;
    auto d = testing::Compare(
        got[name], testing::ReadFloats(c.dir() + "/dump/" + t["file"].get<std::string>()));
    EXPECT_LT(d.max_abs, 1e-3) << name << " rms " << d.rms;
  }
}

}  // namespace
}  // namespace vigil::mm

namespace vigil::mm {
namespace {

TEST(VisionModelLoad, RefusesWrongFiles) {
  auto text = VisionModel::Load(testing::kTextModel);  // a text GGUF
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(text.status().message().find("clip"), std::string::npos);
  EXPECT_EQ(VisionModel::Load("/nonexistent.gguf").status().code(),
            StatusCode::kIo);
  auto m = VisionModel::Load(testing::kMmproj);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m.value()->CheckTextModel(256).ok());
  Status wrong = m.value()->CheckTextModel(1536);
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.message().find("1536"), std::string::npos);
}

TEST(VisionEncode, RejectsBadGrids) {
  auto m = VisionModel::Load(testing::kMmproj);
  ASSERT_TRUE(m.ok());
  kernels::ThreadPool pool(1);
  std::vector<float> px(4 * 3 * 768, 0.5f);
  EXPECT_FALSE(EncodeImage(*m.value(), {.grid_w = 4, .grid_h = 3, .data = px},
                           pool).ok());  // not a multiple of 3
  EXPECT_FALSE(EncodeImage(*m.value(), {.grid_w = 3, .grid_h = 3, .data = px},
                           pool).ok());  // wrong data size
  std::vector<float> big(size_t(258) * 3 * 768, 0.5f);
  EXPECT_FALSE(EncodeImage(*m.value(), {.grid_w = 258, .grid_h = 3, .data = big},
                           pool).ok());  // beyond the 256-entry position table
}

}  // namespace
}  // namespace vigil::mm
