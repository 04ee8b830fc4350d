// SPDX-License-Identifier: Apache-2.0
// Opens every GGUF in shared/ref (made by llama.cpp's gguf-py and
// llama-quantize) and checks facts stated in the READMEs there.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::gguf {
namespace {

const std::string kText = std::string(VIGIL_SHARED_DIR) + "/ref/text/";
const std::string kVision = std::string(VIGIL_SHARED_DIR) + "/ref/vision/";

GgufFile OpenOrDie(const std::string& path) {
  auto f = GgufFile::Open(path);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  VIGIL_CHECK(f.ok());
  return std::move(f).value();
}

std::map<std::string, int> CountTypes(const GgufFile& f) {
  std::map<std::string, int> out;
  for (const TensorInfo& t : f.tensors()) {
    ++out[GetTypeTraits(static_cast<uint32_t>(t.type)).name];
  }
  return out;
}

std::vector<uint64_t> Shape(const TensorInfo* t) {
  VIGIL_CHECK(t != nullptr);
  return {t->ne, t->ne + t->n_dims};
}

TEST(GgufRefFiles, E2bF32Metadata) {
  const GgufFile f = OpenOrDie(kText + "gemma4-e2b-tiny-F32.gguf");
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 32u);
  EXPECT_EQ(*f.GetString(key::kArchitecture), key::kArchGemma4);
  EXPECT_EQ(*f.GetString(key::kName), "gemma4-e2b-tiny (random weights)");
  EXPECT_EQ(*f.GetU32(key::kBlockCount), 5u);
  EXPECT_EQ(*f.GetU32(key::kEmbeddingLength), 256u);
  EXPECT_EQ(*f.GetU32(key::kContextLength), 1024u);
  EXPECT_EQ(*f.GetPerLayerU32(key::kFeedForwardLength, 5),
            std::vector<uint32_t>(5, 256));
  EXPECT_EQ(*f.GetPerLayerU32(key::kHeadCountKv, 5),
            std::vector<uint32_t>(5, 1));
  EXPECT_EQ(*f.GetPerLayerBool(key::kSlidingWindowPattern, 5),
            (std::vector<bool>{true, true, true, true, false}));
  EXPECT_EQ(*f.GetU32(key::kKeyLengthSwa), 64u);
  EXPECT_EQ(*f.GetU32(key::kEmbeddingLengthPerLayer), 64u);
  EXPECT_FLOAT_EQ(*f.GetF32(key::kRopeFreqBase), 1e6f);
  EXPECT_FLOAT_EQ(*f.GetF32(key::kRmsEps), 1e-6f);
  EXPECT_FLOAT_EQ(*f.GetF32(key::kFinalLogitSoftcapping), 30.0f);
  EXPECT_EQ(*f.GetU32(key::kFileType), 0u);
  EXPECT_EQ(*f.GetString(key::kTokenizerModel), key::kTokenizerModelGemma4);
  EXPECT_EQ(f.GetStringArray(key::kTokenizerTokens)->size(), 768u);
  EXPECT_EQ(f.GetF32Array(key::kTokenizerScores)->size(), 768u);
  EXPECT_EQ(f.GetI32Array(key::kTokenizerTokenType)->size(), 768u);
  EXPECT_EQ(f.GetStringArray(key::kTokenizerMerges)->size(), 384u);
  EXPECT_EQ(*f.GetU32(key::kTokenizerBosId), 2u);
  EXPECT_EQ(*f.GetU32(key::kTokenizerEosId), 1u);
  EXPECT_TRUE(*f.GetBool(key::kTokenizerAddBos));
  EXPECT_FALSE(*f.GetBool(key::kTokenizerAddSpacePrefix));
  EXPECT_FALSE(f.Has(key::kChatTemplate));
}

TEST(GgufRefFiles, E2bF32Tensors) {
  const GgufFile f = OpenOrDie(kText + "gemma4-e2b-tiny-F32.gguf");
  EXPECT_EQ(f.tensors().size(), 91u);  // 6 global + 17 x 5 layers
  EXPECT_EQ(CountTypes(f), (std::map<std::string, int>{{"F32", 91}}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kTokenEmbd)),
            (std::vector<uint64_t>{256, 768}));
  EXPECT_EQ(f.FindTensor(tensor::kOutput), nullptr);  // tied
  EXPECT_EQ(Shape(f.FindTensor(tensor::kPerLayerTokenEmbd)),
            (std::vector<uint64_t>{5 * 64, 768}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kPerLayerModelProj)),
            (std::vector<uint64_t>{256, 5 * 64}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kRopeFreqs)),
            (std::vector<uint64_t>{64}));
  // Sliding layer 0: head dim 64; global layer 4: head dim 128.
  EXPECT_EQ(Shape(f.FindTensor(BlockTensor(0, tensor::kAttnQ))),
            (std::vector<uint64_t>{256, 4 * 64}));
  EXPECT_EQ(Shape(f.FindTensor(BlockTensor(4, tensor::kAttnQ))),
            (std::vector<uint64_t>{256, 4 * 128}));
  EXPECT_EQ(Shape(f.FindTensor(BlockTensor(4, tensor::kAttnOutput))),
            (std::vector<uint64_t>{4 * 128, 256}));
  EXPECT_EQ(Shape(f.FindTensor(BlockTensor(2, tensor::kLayerOutputScale))),
            (std::vector<uint64_t>{1}));
  const TensorInfo* rope = f.FindTensor(tensor::kRopeFreqs);
  const float* freqs = reinterpret_cast<const float*>(rope->data);
  EXPECT_EQ(freqs[0], 1.0f);    // 16 rotated pairs, then 1e30
  EXPECT_EQ(freqs[63], 1e30f);
}

TEST(GgufRefFiles, QuantizedVariantsHaveTheListedTypes) {
  struct Variant {
    const char* file;
    std::map<std::string, int> types;
    const char* token_embd_type;
    const char* proj0_type;
  };
  const Variant variants[] = {
      {"Q8_0", {{"F32", 44}, {"Q8_0", 47}}, "Q8_0", "Q8_0"},
      {"Q4_0", {{"F32", 44}, {"Q4_0", 45}, {"Q6_K", 1}, {"Q8_0", 1}}, "Q6_K",
       "Q4_0"},
      {"Q4_K_M",
       {{"F32", 44}, {"Q4_K", 36}, {"Q5_0", 5}, {"Q6_K", 5}, {"Q8_0", 1}},
       "Q6_K", "Q5_0"},
  };
  for (const Variant& v : variants) {
    const GgufFile f =
        OpenOrDie(kText + "gemma4-e2b-tiny-" + v.file + ".gguf");
    EXPECT_EQ(CountTypes(f), v.types) << v.file;
    auto name_of = [&f](const std::string& t) {
      return GetTypeTraits(static_cast<uint32_t>(f.FindTensor(t)->type)).name;
    };
    EXPECT_STREQ(name_of(tensor::kTokenEmbd), v.token_embd_type) << v.file;
    EXPECT_STREQ(name_of(BlockTensor(0, tensor::kProj)), v.proj0_type);
    EXPECT_STREQ(name_of(tensor::kPerLayerModelProj), "F32");
    EXPECT_EQ(*f.GetU32(key::kQuantizationVersion), 2u);
    for (const TensorInfo& t : f.tensors()) {
      EXPECT_TRUE(IsSupportedWeightType(t.type)) << t.name;
      EXPECT_EQ(t.n_bytes, RowBytes(t.type, t.ne[0]) * t.n_rows()) << t.name;
    }
  }
}

TEST(GgufRefFiles, E4bSharedKvLayersLackKv) {
  const GgufFile f = OpenOrDie(kText + "gemma4-e4b-tiny-F32.gguf");
  EXPECT_EQ(*f.GetU32(key::kBlockCount), 12u);
  EXPECT_EQ(*f.GetU32(key::kSharedKvLayers), 6u);
  EXPECT_EQ(*f.GetU32(key::kHeadCountKv), 2u);
  std::vector<uint32_t> ff(6, 128);
  ff.insert(ff.end(), 6, 256);
  EXPECT_EQ(*f.GetPerLayerU32(key::kFeedForwardLength, 12), ff);
  EXPECT_EQ(f.GetPerLayerU32(key::kFeedForwardLength, 5).status().code(),
            StatusCode::kCorrupt);
  EXPECT_EQ(f.tensors().size(), 6u + 17 * 12 - 3 * 6);
  for (int il = 0; il < 12; ++il) {
    const bool own_kv = il < 6;
    EXPECT_EQ(f.FindTensor(BlockTensor(il, tensor::kAttnK)) != nullptr, own_kv);
    EXPECT_EQ(f.FindTensor(BlockTensor(il, tensor::kAttnV)) != nullptr, own_kv);
    EXPECT_NE(f.FindTensor(BlockTensor(il, tensor::kAttnQ)), nullptr);
  }
  EXPECT_EQ(Shape(f.FindTensor(BlockTensor(11, tensor::kFfnDown))),
            (std::vector<uint64_t>{256, 128}));
}

TEST(GgufRefFiles, MmprojVisionAndAudio) {
  const GgufFile f = OpenOrDie(kVision + "mmproj-gemma4-e2b-tiny-F32.gguf");
  EXPECT_EQ(*f.GetString(key::kArchitecture), key::kArchClip);
  EXPECT_EQ(*f.GetString(key::kType), key::kTypeMmproj);
  EXPECT_TRUE(*f.GetBool(key::kClipHasVision));
  EXPECT_TRUE(*f.GetBool(key::kClipHasAudio));
  EXPECT_EQ(*f.GetString(key::kVisionProjectorType), key::kProjectorGemma4v);
  EXPECT_EQ(*f.GetString(key::kAudioProjectorType), key::kProjectorGemma4a);
  EXPECT_EQ(*f.GetU32(key::kVisionBlockCount), 2u);
  EXPECT_EQ(*f.GetU32(key::kVisionEmbeddingLength), 64u);
  EXPECT_EQ(*f.GetU32(key::kVisionProjectionDim), 256u);
  EXPECT_EQ(*f.GetU32(key::kAudioNumMelBins), 128u);
  EXPECT_EQ(*f.GetF32Array(key::kVisionImageStd),
            (std::vector<float>{1, 1, 1}));
  EXPECT_FALSE(f.Has(key::kClipUseGelu));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kVPatchEmbd)),
            (std::vector<uint64_t>{16, 16, 3, 64}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kVPositionEmbd)),
            (std::vector<uint64_t>{64, 256, 2}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kMmInputProjection)),
            (std::vector<uint64_t>{64, 256}));
  EXPECT_EQ(Shape(f.FindTensor(tensor::kAConv1d0)),
            (std::vector<uint64_t>{3, 3, 1, 8}));
  EXPECT_NE(f.FindTensor(VisionBlockTensor(1, tensor::kVFfnDown)), nullptr);
  EXPECT_NE(f.FindTensor(AudioBlockTensor(1, tensor::kAConvDw)), nullptr);
  const std::string clamp = ClampTensor(
      VisionBlockTensor(0, tensor::kVAttnQ), tensor::kInputMax);
  EXPECT_EQ(clamp, "v.blk.0.attn_q.input_max");
  const TensorInfo* t = f.FindTensor(clamp);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(*reinterpret_cast<const float*>(t->data), 2.5f);
}

}  // namespace
}  // namespace vigil::gguf
