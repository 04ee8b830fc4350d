// SPDX-License-Identifier: Apache-2.0
// Named intermediates of the medium prompt against llama.cpp's graph dump
// (ref/text/<model>/F32/dump_medium), in graph order, so a failure names the
// first layer and tensor that diverged.
#include <cmath>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "tests/golden/golden.h"
#include "tests/inference/text/text_ref.h"

namespace vigil::text {
namespace {

// The dump is the stock build (fp16 GELU table, ref/README.md note 1), so
// tensors after the first GELU differ from a float32 implementation by about
// the fp16 rounding of O(1) activations; relative to each tensor's scale.
constexpr double kRelativeTolerance = 2e-2;
constexpr double kBeforeGeluTolerance = 1e-4;  // pure float32 up to there

using Captured = std::map<std::string, std::vector<float>>;

Captured RunWithDump(const Model& model, const std::vector<int32_t>& ids) {
  Captured captured;
  kernels::ThreadPool pool(2);
  auto session = Session::Create(
      model, pool,
      SessionOptions{.n_ctx = 256,
                     .max_ubatch = 256,
                     .precision = kernels::MatMulPrecision::kFloat32,
                     .on_tensor = [&](std::string_view name, int layer,
                                      const float* data, size_t rows,
                                      size_t row_len) {
                       std::string key(name);
                       if (layer >= 0) {
                         key.push_back('-');
                         key.append(std::to_string(layer));
                       }
                       auto& v = captured[key];
                       v.insert(v.end(), data, data + rows * row_len);
                     }});
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return captured;
  std::vector<float> logits(ids.size() * model.config().n_vocab);
  Status st = (*session)->Forward(
      Batch{.ids = ids, .embeddings = {}, .logits = LogitsMode::kAll}, logits);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return captured;
}

TEST(TextDumpTest, IntermediatesMatchLlamaCppInGraphOrder) {
  size_t dumps = 0;
  for (const testing::Variant& v : testing::FindVariants()) {
    const std::string dir = v.dir + "/dump_medium";
    if (!std::filesystem::exists(dir + "/tensors.json")) continue;
    ++dumps;
    auto model = Model::Load(v.model_path);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    std::vector<int32_t> ids;
    for (const auto& p : v.prompts()) {
      if (p["name"] == "medium") ids = p["ids"].get<std::vector<int32_t>>();
    }
    ASSERT_FALSE(ids.empty()) << v.name << ": no medium prompt";
    Captured ours = RunWithDump(**model, ids);
    auto list = golden::ReadJson(dir + "/tensors.json");
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    bool seen_gelu = false;
    for (const auto& t : *list) {
      const std::string name = t["name"];
      if (name.rfind("ffn_out", 0) == 0 || name.rfind("per_layer_embd", 0) == 0)
        seen_gelu = true;
      auto ref = golden::ReadF32(dir + "/" + t["file"].get<std::string>());
      ASSERT_TRUE(ref.ok()) << ref.status().ToString();
      ASSERT_TRUE(ours.count(name)) << v.name << ": we emit no '" << name << "'";
      double scale = 0.0;
      for (float x : *ref) scale = std::max(scale, std::fabs(double{x}));
      golden::DiffStats d = golden::Diff(ours[name], *ref);
      const double tol = seen_gelu ? kRelativeTolerance * std::max(1.0, scale)
                                   : kBeforeGeluTolerance * std::max(1.0, scale);
      ASSERT_LE(d.max_abs, tol)
          << v.name << ": first divergence at '" << name << "' (index "
          << d.worst << ", tensor max |x| " << scale << ", rms " << d.rms
          << ")";
    }
  }
  EXPECT_GT(dumps, 0u) << "no dump_medium folder found under ref/text";
}

}  // namespace
}  // namespace vigil::text
