// SPDX-License-Identifier: Apache-2.0
// Logits of every model and prompt in shared/ref/text against llama.cpp, with
// the tolerances its README derives (float32 path vs the exact-GELU
// references; fast quantized path vs the primary references).
#include "tests/inference/text/golden_fixture.h"

namespace vigil::text {
namespace {

// Float32 path vs the exact-GELU (dequantized) reference, all positions.
TEST_P(TextGoldenTest, Float32MatchesSecondaryAllPositions) {
  for (const auto& p : v_->prompts()) {
    auto session = NewSession(MatMulPrecision::kFloat32, 512, 2);
    ASSERT_NE(session, nullptr);
    auto ours = AllPositions(*session, Ids(p["ids"]));
    auto ref = v_->Floats(p["logits_all_" + v_->secondary() + "_file"]);
    golden::DiffStats d = golden::Diff(ours, ref);
    EXPECT_LE(d.max_abs, kFloat32Tolerance)
        << p["name"] << ": position " << d.worst / n_vocab_ << " token "
        << d.worst % n_vocab_ << " rms " << d.rms;
  }
}

// Greedy continuation of the secondary reference, teacher-forced.
TEST_P(TextGoldenTest, Float32MatchesSecondaryGreedySteps) {
  const std::string sec = v_->secondary();
  for (const auto& p : v_->prompts()) {
    auto session = NewSession(MatMulPrecision::kFloat32);
    ASSERT_NE(session, nullptr);
    auto forced = Ids(p["greedy_ids_" + sec]);
    auto ours = TeacherForced(*session, Ids(p["ids"]), forced);
    auto ref = v_->Floats(p["greedy_logits_" + sec + "_file"]);
    ASSERT_EQ(ours.size(), ref.size());
    for (size_t j = 0; j < forced.size(); ++j) {
      golden::DiffStats d = golden::Diff(Row(ours, j), Row(ref, j));
      EXPECT_LE(d.max_abs, kFloat32Tolerance) << p["name"] << " step " << j;
      if (golden::TopTwo(Row(ref, j)).gap > 2 * kFloat32Tolerance) {
        EXPECT_EQ(golden::TopTwo(Row(ours, j)).top1,
                  static_cast<size_t>(forced[j]))
            << p["name"] << " step " << j;
      }
    }
  }
}

// F32 models vs stock llama.cpp (fp16 GELU table): twice the reference's own
// stock-vs-exact difference (ref/README.md "F32 model vs the primary").
class TextF32PrimaryTest : public TextGoldenTest {};

TEST_P(TextF32PrimaryTest, Float32ModelMatchesPrimary) {
  const double tol =
      std::max(kFloat32Tolerance,
               2 * MaxOverPrompts(*v_, "max_abs_diff_primary_vs_exactgelu"));
  for (const auto& p : v_->prompts()) {
    auto session = NewSession(MatMulPrecision::kFloat32);
    auto ours = AllPositions(*session, Ids(p["ids"]));
    golden::DiffStats d = golden::Diff(ours, v_->Floats(p["logits_all_file"]));
    EXPECT_LE(d.max_abs, tol) << p["name"];
    auto forced = Ids(p["greedy_ids"]);
    auto steps_session = NewSession(MatMulPrecision::kFloat32);
    auto steps = TeacherForced(*steps_session, Ids(p["ids"]), forced);
    auto ref = v_->Floats(p["greedy_logits_file"]);
    auto gaps = p["greedy_top1_top2_gap"].get<std::vector<double>>();
    for (size_t j = 0; j < forced.size(); ++j) {
      EXPECT_LE(golden::Diff(Row(steps, j), Row(ref, j)).max_abs, tol)
          << p["name"] << " step " << j;
      if (gaps[j] > 2 * tol) {
        EXPECT_EQ(golden::TopTwo(Row(steps, j)).top1,
                  static_cast<size_t>(forced[j]))
            << p["name"] << " step " << j;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllRefModels, TextGoldenTest,
                         ::testing::ValuesIn(VariantNames()), ParamName);
// Quantized variants meet the primary reference in FastPathMatchesPrimary.
INSTANTIATE_TEST_SUITE_P(F32RefModels, TextF32PrimaryTest,
                         ::testing::ValuesIn(VariantNames(true)), ParamName);

}  // namespace
}  // namespace vigil::text
