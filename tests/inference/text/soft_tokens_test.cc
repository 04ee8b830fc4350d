// SPDX-License-Identifier: Apache-2.0
// Soft-token input (spec §3.6): the vector is used as is (not scaled by
// sqrt(d)) and its per-layer identity part is row 0. So feeding
// E[0]·sqrt(d) as an embedding must equal feeding token id 0, at any
// position, after a text prefix.
#include <cmath>

#include <gtest/gtest.h>

#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "tests/golden/golden.h"

namespace vigil::text {
namespace {

TEST(SoftTokensTest, EmbeddingOfPadRowEqualsPadToken) {
  for (const char* file : {"text/gemma4-e2b-tiny-F32.gguf",
                           "text/gemma4-e4b-tiny-F32.gguf"}) {
    auto model = Model::Load(golden::RefPath(file));
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const ModelConfig& c = (*model)->config();
    const size_t d = c.n_embd, V = c.n_vocab;
    kernels::ThreadPool pool(1);
    SessionOptions opts{.n_ctx = 64,
                        .max_ubatch = 64,
                        .precision = kernels::MatMulPrecision::kFloat32,
                        .on_tensor = {}};
    auto by_ids = Session::Create(**model, pool, opts);
    auto by_embd = Session::Create(**model, pool, opts);
    ASSERT_TRUE(by_ids.ok() && by_embd.ok());

    const std::vector<int32_t> prefix = {2, 100, 200, 300};
    std::vector<float> ignored(V);
    ASSERT_TRUE((*by_ids)->Forward({.ids = prefix, .embeddings = {}}, ignored).ok());
    ASSERT_TRUE((*by_embd)->Forward({.ids = prefix, .embeddings = {}}, ignored).ok());

    const size_t n_soft = 3;
    std::vector<int32_t> pads(n_soft, 0);
    std::vector<float> embd(n_soft * d);
    for (size_t t = 0; t < n_soft; ++t) {
      kernels::DequantizeRow((*model)->weights().token_embd, 0,
                             embd.data() + t * d);
      for (size_t i = 0; i < d; ++i) {
        embd[t * d + i] *= std::sqrt(static_cast<float>(d));
      }
    }
    std::vector<float> a(n_soft * V), b(n_soft * V);
    ASSERT_TRUE((*by_ids)
                    ->Forward({.ids = pads, .embeddings = {},
                               .logits = LogitsMode::kAll}, a)
                    .ok());
    ASSERT_TRUE((*by_embd)
                    ->Forward({.ids = {}, .embeddings = embd,
                               .logits = LogitsMode::kAll}, b)
                    .ok());
    EXPECT_LE(golden::Diff(a, b).max_abs, 1e-5) << file;
    EXPECT_EQ((*by_embd)->position(), prefix.size() + n_soft);
    // A token after the soft tokens sees them the same way.
    std::vector<int32_t> next = {123};
    std::vector<float> la(V), lb(V);
    ASSERT_TRUE((*by_ids)->Forward({.ids = next, .embeddings = {}}, la).ok());
    ASSERT_TRUE((*by_embd)->Forward({.ids = next, .embeddings = {}}, lb).ok());
    EXPECT_LE(golden::Diff(la, lb).max_abs, 1e-5) << file;

    // Malformed input is refused without moving the position.
    std::vector<float> ragged(d + 1);
    Status st = (*by_embd)->Forward({.ids = {}, .embeddings = ragged}, lb);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*by_embd)->position(), prefix.size() + n_soft + 1);
  }
}

}  // namespace
}  // namespace vigil::text
