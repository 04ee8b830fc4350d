// SPDX-License-Identifier: Apache-2.0
// Test fixture shared by the text golden tests: one model variant of
// shared/ref/text per parameter, sessions, and ways to run prompts.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "tests/golden/golden.h"
#include "tests/inference/text/text_ref.h"

namespace vigil::text {

using kernels::MatMulPrecision;
using testing::Variant;

inline constexpr double kFloat32Tolerance = 1e-3;  // ref/README.md, F32 vs exactgelu

inline const std::map<std::string, Variant>& Variants() {
  static const auto* all = [] {
    auto* m = new std::map<std::string, Variant>();
    for (Variant& v : testing::FindVariants()) m->emplace(v.name, v);
    return m;
  }();
  return *all;
}

inline std::vector<std::string> VariantNames(bool f32_only = false) {
  std::vector<std::string> names;
  for (const auto& [name, v] : Variants()) {
    if (!f32_only || v.is_f32) names.push_back(name);
  }
  return names;
}

inline std::vector<int32_t> Ids(const nlohmann::json& j) {
  return j.get<std::vector<int32_t>>();
}

// Max over prompts of a per-prompt statistic in reference.json.
inline double MaxOverPrompts(const Variant& v, const std::string& key) {
  double m = 0.0;
  for (const auto& p : v.prompts()) m = std::max(m, p[key].get<double>());
  return m;
}

class TextGoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    v_ = &Variants().at(GetParam());
    auto model = Model::Load(v_->model_path);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    model_ = std::move(model).value();
    n_vocab_ = model_->config().n_vocab;
  }

  // `threads` is 1 or 2 (the loaded CI machine makes 2 slow; some tests use
  // it to cover the parallel paths).
  std::unique_ptr<Session> NewSession(MatMulPrecision precision,
                                      size_t max_ubatch = 512,
                                      int threads = 1) {
    auto s = Session::Create(*model_, threads == 2 ? pool2_ : pool1_,
                             SessionOptions{.n_ctx = 512,
                                            .max_ubatch = max_ubatch,
                                            .precision = precision,
                                            .on_tensor = {}});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Logits of every prompt position, [n, V].
  std::vector<float> AllPositions(Session& s, const std::vector<int32_t>& ids) {
    std::vector<float> out(ids.size() * n_vocab_);
    Status st = s.Forward(
        Batch{.ids = ids, .embeddings = {}, .logits = LogitsMode::kAll}, out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  // Row 0: last prompt position; row j: after feeding forced[0..j-1] one
  // token at a time (as the reference's greedy loop), [steps, V].
  std::vector<float> TeacherForced(Session& s, const std::vector<int32_t>& ids,
                                   const std::vector<int32_t>& forced) {
    std::vector<float> out(forced.size() * n_vocab_);
    std::span<float> row(out.data(), n_vocab_);
    Status st = s.Forward(Batch{.ids = ids, .embeddings = {}}, row);
    EXPECT_TRUE(st.ok()) << st.ToString();
    for (size_t j = 1; j < forced.size() && st.ok(); ++j) {
      row = std::span<float>(out.data() + j * n_vocab_, n_vocab_);
      st = s.Forward(Batch{.ids = std::span(&forced[j - 1], 1),
                           .embeddings = {}},
                     row);
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    return out;
  }

  std::span<const float> Row(const std::vector<float>& m, size_t r) const {
    return {m.data() + r * n_vocab_, n_vocab_};
  }

  const Variant* v_ = nullptr;
  std::unique_ptr<Model> model_;
  size_t n_vocab_ = 0;
  kernels::ThreadPool pool1_{1};
  kernels::ThreadPool pool2_{2};
};

// gtest parameter names may not contain '/' or '-'.
inline std::string ParamName(const ::testing::TestParamInfo<std::string>& i) {
  std::string s = i.param;
  for (char& c : s) {
    if (c == '/' || c == '-' || c == '.') c = '_';
  }
  return s;
}

}  // namespace vigil::text
