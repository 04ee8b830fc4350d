// SPDX-License-Identifier: Apache-2.0
// Hyper-parameters and tensor binding of the reference models, and the clear
// errors for bad model files (built with the GGUF writer) and bad requests.
#include <gtest/gtest.h>

#include "inference/gguf/names.h"
#include "inference/kernels/thread_pool.h"
#include "inference/kernels/weight_layout.h"
#include "inference/text/gemma4.h"
#include "inference/text/generate.h"
#include "tests/golden/golden.h"
#include "tests/inference/text/model_edit.h"

namespace vigil::text {
namespace {

namespace key = gguf::key;
namespace tensor = gguf::tensor;
using testing::ModelEdit;
using testing::WriteEditedCopy;

const std::string kE2b = golden::RefPath("text/gemma4-e2b-tiny-F32.gguf");
const std::string kE4b = golden::RefPath("text/gemma4-e4b-tiny-F32.gguf");

bool Contains(const Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

TEST(TextConfigTest, ReadsPerLayerShapesOfBothModels) {
  auto e2b = Model::Load(kE2b);
  ASSERT_TRUE(e2b.ok()) << e2b.status().ToString();
  const ModelConfig& c = (*e2b)->config();
  EXPECT_EQ(c.n_layer, 5u);
  EXPECT_EQ(c.n_embd, 256u);
  EXPECT_EQ(c.n_vocab, 768u);
  EXPECT_EQ(c.sliding_window, 16u);
  EXPECT_FLOAT_EQ(c.final_logit_softcap, 30.0f);
  EXPECT_EQ(c.layers[0].type, AttentionType::kSliding);
  EXPECT_EQ(c.layers[4].type, AttentionType::kGlobal);
  EXPECT_EQ(c.layers[0].head_dim, 64u);
  EXPECT_EQ(c.layers[4].head_dim, 128u);
  EXPECT_FLOAT_EQ(c.layers[4].rope_base, 1e6f);
  EXPECT_FLOAT_EQ(c.layers[0].rope_base, 1e4f);
  for (const LayerConfig& l : c.layers) EXPECT_TRUE(l.owns_kv);

  auto e4b = Model::Load(kE4b);
  ASSERT_TRUE(e4b.ok()) << e4b.status().ToString();
  const ModelConfig& d = (*e4b)->config();
  EXPECT_EQ(d.n_shared_kv_layers, 6u);
  EXPECT_EQ(d.first_shared_layer(), 6u);
  EXPECT_EQ(d.layers[5].n_ff, 128u);
  EXPECT_EQ(d.layers[6].n_ff, 256u);  // double-wide MLP from the array
  // Shared layers read the last non-shared layer of their type (spec §2.2).
  for (uint32_t il = 6; il < 12; ++il) {
    EXPECT_FALSE(d.layers[il].owns_kv);
    EXPECT_EQ(d.layers[il].kv_source,
              d.layers[il].type == AttentionType::kSliding ? 4 : 5);
    EXPECT_EQ((*e4b)->weights().layers[il].attn_k.data, nullptr);
  }
}

// Q4_0, Q4_K and Q6_K matrices are re-laid for decode where this CPU streams
// them faster (kernels::DecodesFasterAsQuads); other types and the
// per-layer embedding table stay in the file mapping.
TEST(TextDecodeLayoutTest, StreamedMatricesAreReLaidWhereTheCpuDecodesThemFaster) {
  auto model = Model::Load(golden::RefPath("text/gemma4-e2b-tiny-Q4_K_M.gguf"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ModelWeights& w = (*model)->weights();
  const auto& file = (*model)->file();
  size_t quads = 0, fitting = 0;
  for (size_t il = 0; il < w.layers.size(); ++il) {
    const LayerWeights& l = w.layers[il];
    const std::pair<const WeightMatrix*, const char*> matrices[] = {
        {&l.attn_q, tensor::kAttnQ},       {&l.attn_output, tensor::kAttnOutput},
        {&l.ffn_gate, tensor::kFfnGate},   {&l.ffn_up, tensor::kFfnUp},
        {&l.ffn_down, tensor::kFfnDown}};
    for (const auto& [m, suffix] : matrices) {
      const gguf::TensorInfo* t =
          file.FindTensor(gguf::BlockTensor(static_cast<int>(il), suffix));
      ASSERT_NE(t, nullptr);
      if (kernels::FitsQuads(*m) || m->layout == kernels::RowLayout::kQuads) ++fitting;
      if (m->layout == kernels::RowLayout::kQuads) {
        ++quads;
        EXPECT_NE(m->data, t->data);  // a copy, not the mapping
      } else {
        EXPECT_EQ(m->data, t->data);
      }
    }
  }
  EXPECT_GT(fitting, 0u);
  const uint8_t block[4 * 144] = {};
  const bool vnni = kernels::DecodesFasterAsQuads(
      {gguf::GgmlType::kQ4_K, block, 4, 256, 144});
  EXPECT_EQ(quads, vnni ? fitting : 0u);
  EXPECT_EQ(w.per_layer_token_embd.layout, kernels::RowLayout::kGguf);
}

TEST(TextBadModelTest, OtherArchitectureIsRejectedByName) {
  auto path = WriteEditedCopy(
      kE2b,
      {.drop_key = [](std::string_view k) { return k == key::kArchitecture; },
       .drop_tensor = {},
       .add = [](const gguf::GgufFile&, gguf::GgufWriter& w) {
         w.AddString(key::kArchitecture, "llama");
       }},
      "llama.gguf");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto model = Model::Load(*path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(model.status(),
                       "not a gemma4 model: general.architecture = 'llama'"))
      << model.status().ToString();
}

TEST(TextBadModelTest, MissingTensorIsNamed) {
  const std::string name = gguf::BlockTensor(1, tensor::kFfnUp);
  auto path = WriteEditedCopy(
      kE2b, {.drop_key = {},
             .drop_tensor = [&](std::string_view n) { return n == name; },
             .add = {}},
      "missing.gguf");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto model = Model::Load(*path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(model.status(), "'blk.1.ffn_up.weight' missing"))
      << model.status().ToString();
}

TEST(TextBadModelTest, WrongShapeSaysExpectedAndGot) {
  const std::string name = gguf::BlockTensor(2, tensor::kAttnQ);
  auto path = WriteEditedCopy(
      kE2b,
      {.drop_key = {},
       .drop_tensor = [&](std::string_view n) { return n == name; },
       .add = [&](const gguf::GgufFile&, gguf::GgufWriter& w) {
         std::vector<float> half(256 * 128, 0.0f);
         const uint64_t ne[] = {256, 128};
         ASSERT_TRUE(w.AddTensorF32(name, ne, half).ok());
       }},
      "shape.gguf");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto model = Model::Load(*path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(Contains(model.status(),
                       "tensor 'blk.2.attn_q.weight' has wrong shape; "
                       "expected [256, 256], got [256, 128]"))
      << model.status().ToString();
}

TEST(TextBadModelTest, UnsupportedTypeIsNamed) {
  const std::string name = gguf::BlockTensor(0, tensor::kFfnGate);
  auto path = WriteEditedCopy(
      kE2b,
      {.drop_key = {},
       .drop_tensor = [&](std::string_view n) { return n == name; },
       .add = [&](const gguf::GgufFile&, gguf::GgufWriter& w) {
         // Q2_K: a real ggml type this engine does not compute with.
         std::vector<uint8_t> bytes(256 * 84, 0);
         const uint64_t ne[] = {256, 256};
         ASSERT_TRUE(w.AddTensor(name, gguf::GgmlType::kQ2_K, ne, bytes).ok());
       }},
      "type.gguf");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto model = Model::Load(*path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(model.status(), "'blk.0.ffn_gate.weight' has type Q2_K"))
      << model.status().ToString();
}

TEST(TextBadModelTest, MissingAndInconsistentKeys) {
  auto no_window = WriteEditedCopy(
      kE2b,
      {.drop_key = [](std::string_view k) { return k == key::kSlidingWindow; },
       .drop_tensor = {},
       .add = {}},
      "nowindow.gguf");
  ASSERT_TRUE(no_window.ok());
  auto m1 = Model::Load(*no_window);
  ASSERT_FALSE(m1.ok());
  EXPECT_EQ(m1.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(m1.status(), key::kSlidingWindow))
      << m1.status().ToString();

  // One shared layer on e2b: layer 4 is the only global layer, so no
  // earlier global layer can lend it a KV cache.
  auto bad_share = WriteEditedCopy(
      kE2b,
      {.drop_key = [](std::string_view k) { return k == key::kSharedKvLayers; },
       .drop_tensor = {},
       .add = [](const gguf::GgufFile&, gguf::GgufWriter& w) {
         w.AddU32(key::kSharedKvLayers, 1);
       }},
      "share.gguf");
  ASSERT_TRUE(bad_share.ok());
  auto m2 = Model::Load(*bad_share);
  ASSERT_FALSE(m2.ok());
  EXPECT_EQ(m2.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(Contains(m2.status(), "layer 4 (F) shares KV"))
      << m2.status().ToString();
}

// HF conversions keep unused K/V tensors on shared layers; they must load.
TEST(TextBadModelTest, UnusedKvTensorsOnSharedLayersAreAccepted) {
  auto path = WriteEditedCopy(
      kE4b,
      {.drop_key = {},
       .drop_tensor = {},
       .add = [](const gguf::GgufFile& src, gguf::GgufWriter& w) {
         for (const char* suffix :
              {tensor::kAttnK, tensor::kAttnV, tensor::kAttnKNorm}) {
           const gguf::TensorInfo* t =
               src.FindTensor(gguf::BlockTensor(4, suffix));  // same shape
           ASSERT_NE(t, nullptr);
           std::vector<uint64_t> ne(t->ne, t->ne + t->n_dims);
           ASSERT_TRUE(w.AddTensor(gguf::BlockTensor(6, suffix), t->type, ne,
                                   std::span(t->data, t->n_bytes))
                           .ok());
         }
       }},
      "kvpresent.gguf");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto model = Model::Load(*path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_FALSE((*model)->config().layers[6].owns_kv);
}

TEST(TextBadRequestTest, ContextAndIdErrorsAreClear) {
  auto model = Model::Load(kE2b);
  ASSERT_TRUE(model.ok());
  kernels::ThreadPool pool(1);
  SessionOptions options;
  options.n_ctx = 1 << 20;
  auto too_big = Session::Create(**model, pool, options);
  ASSERT_FALSE(too_big.ok());
  EXPECT_TRUE(Contains(too_big.status(), "exceeds the model's context_length"));

  options.n_ctx = 8;
  options.max_ubatch = 4;
  auto session = Session::Create(**model, pool, options);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  std::vector<int32_t> prompt(12, 5);
  auto gen = Generate(**session, prompt, {}, {});
  ASSERT_FALSE(gen.ok());
  EXPECT_EQ(gen.status().code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(Contains(gen.status(), "prompt has 12 tokens")) << gen.status().ToString();

  std::vector<int32_t> bad = {2, 768};
  std::vector<float> logits(768);
  Status st = (*session)->Forward(Batch{.ids = bad, .embeddings = {}}, logits);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(st, "token id 768 at index 1 outside vocabulary"));
  EXPECT_EQ((*session)->position(), 0u);  // unchanged on error
}

}  // namespace
}  // namespace vigil::text
