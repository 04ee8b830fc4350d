// SPDX-License-Identifier: Apache-2.0
// Every weight type's MatMul, both precisions, on every compiled target this
// CPU runs, against the scalar reference (scalar_ref.h). Tolerance: the SIMD
// kernels see the same integers as the reference and differ only in float
// summation order, so |got - want| <= 3e-5 * sum|w_i x_i| + 1e-6.
#include <cmath>
#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tests/inference/kernels/matmul_test.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "inference/kernels/matmul-inl.h"

#ifndef VIGIL_TESTS_KERNELS_MATMUL_HELPERS_
#define VIGIL_TESTS_KERNELS_MATMUL_HELPERS_
namespace vigil::kernels {
using gguf::GgmlType;

inline constexpr GgmlType kAllTypes[] = {
    GgmlType::kF32,  GgmlType::kF16,  GgmlType::kBF16,  GgmlType::kQ4_0,
    GgmlType::kQ4_1, GgmlType::kQ5_0, GgmlType::kQ5_1,  GgmlType::kQ8_0,
    GgmlType::kQ4_K, GgmlType::kQ5_K, GgmlType::kQ6_K, GgmlType::kIQ4_NL};

// Random but well-formed rows: random payload bytes, finite small scales.
inline std::vector<uint8_t> RandomWeights(GgmlType type, size_t rows,
                                          size_t cols, std::mt19937& rng) {
  const KernelTypeInfo info = GetKernelTypeInfo(type);
  const size_t n_blocks = rows * cols / info.block_elems;
  std::vector<uint8_t> data(n_blocks * info.block_bytes);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  for (auto& b : data) b = static_cast<uint8_t>(byte(rng));
  auto put16 = [&](size_t off, uint16_t v) { std::memcpy(&data[off], &v, 2); };
  for (size_t b = 0; b < n_blocks; ++b) {
    const size_t o = b * info.block_bytes;
    switch (type) {
      case GgmlType::kF32: {
        const float f = val(rng);
        std::memcpy(&data[o], &f, 4);
        break;
      }
      case GgmlType::kF16: put16(o, F32ToF16(val(rng))); break;
      case GgmlType::kBF16: put16(o, F32ToBf16(val(rng))); break;
      case GgmlType::kQ6_K: put16(o + 208, F32ToF16(0.01f * val(rng))); break;
      case GgmlType::kQ4_1: case GgmlType::kQ5_1:
      case GgmlType::kQ4_K: case GgmlType::kQ5_K:
        put16(o, F32ToF16(0.05f * val(rng)));
        put16(o + 2, F32ToF16(0.05f * val(rng)));
        break;
      default: put16(o, F32ToF16(0.05f * val(rng))); break;
    }
  }
  return data;
}

inline void CheckAgainstReference(GgmlType type, MatMulPrecision precision,
                                  size_t rows, size_t cols, size_t n_tokens,
                                  ThreadPool& pool,
                                  void (*impl)(const WeightMatrix&, const float*,
                                               size_t, float*, ThreadPool&,
                                               MatMulPrecision)) {
  std::mt19937 rng(static_cast<uint32_t>(rows * 131 + cols * 7 + n_tokens));
  const std::vector<uint8_t> data = RandomWeights(type, rows, cols, rng);
  std::vector<float> x(n_tokens * cols);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (float& v : x) v = nd(rng);
  const WeightMatrix w{type, data.data(), rows, cols, data.size() / rows};
  std::vector<float> y(n_tokens * rows, NAN);
  impl(w, x.data(), n_tokens, y.data(), pool, precision);
  std::vector<float> deq(cols);
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* row = data.data() + r * w.row_bytes;
    ref::DequantizeRow(type, row, cols, deq.data());
    for (size_t t = 0; t < n_tokens; ++t) {
      const float* xt = x.data() + t * cols;
      double mag = 0.0;
      for (size_t i = 0; i < cols; ++i) mag += std::fabs(deq[i] * xt[i]);
      const double want =
          precision == MatMulPrecision::kFloat32
              ? ref::DotRowF32(type, row, xt, cols)
              : ref::DotRowQuantized(type, row, xt, cols);
      ASSERT_NEAR(y[t * rows + r], want, 3e-5 * mag + 1e-6)
          << "type " << static_cast<int>(type) << " row " << r << " token "
          << t << " rows " << rows << " cols " << cols << " n_tokens "
          << n_tokens;
    }
  }
}
}  // namespace vigil::kernels
#endif  // VIGIL_TESTS_KERNELS_MATMUL_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

void TestMatMulAllTypes() {
  ThreadPool pool(2);
  const size_t kRows[] = {1, 5, 13};
  const size_t kTokens[] = {1, 3, 4, 9};
  for (GgmlType type : kAllTypes) {
    const size_t block = GetKernelTypeInfo(type).block_elems;
    const size_t cols_options[] = {block == 256 ? 512u : 96u, 768u};
    for (size_t cols : cols_options) {
      for (size_t rows : kRows) {
        for (size_t n_tokens : kTokens) {
          for (MatMulPrecision p : {MatMulPrecision::kQuantizedActivations,
                                    MatMulPrecision::kFloat32}) {
            CheckAgainstReference(type, p, rows, cols, n_tokens, pool,
                                  &MatMulImpl);
          }
        }
      }
    }
  }
}

// Row counts around the 16-row panels and 32-row micro-kernels of the int8
// GEMM, single and odd token counts, split over 3 threads.
void TestMatMulPanelTails() {
  ThreadPool pool(3);
  for (GgmlType type : kAllTypes) {
    const size_t cols = GetKernelTypeInfo(type).block_elems == 256 ? 768 : 160;
    for (size_t rows : {16u, 31u, 33u, 50u, 97u}) {
      for (size_t n_tokens : {1u, 2u, 7u}) {
        CheckAgainstReference(type, MatMulPrecision::kQuantizedActivations,
                              rows, cols, n_tokens, pool, &MatMulImpl);
      }
    }
  }
}

// Single-token Q4_0 (cols a multiple of 128), Q4_K and Q6_K products stream
// four rows at a time: row counts around 4 and 16, split over 3 threads.
void TestMatMulStreamRows() {
  ThreadPool pool(3);
  for (GgmlType type : {GgmlType::kQ4_0, GgmlType::kQ4_K, GgmlType::kQ6_K}) {
    // 1, 2, 6 and 10 super-blocks a row (E2B's 1536 and E4B's 2560).
    for (size_t cols : {256u, 512u, 1536u, 2560u}) {
      for (size_t rows : {1u, 3u, 4u, 17u, 50u, 129u}) {
        CheckAgainstReference(type, MatMulPrecision::kQuantizedActivations,
                              rows, cols, 1, pool, &MatMulImpl);
      }
    }
  }
}

// Q4_0, Q4_K and Q6_K re-laid as kQuads (weight_layout.h): single-token products read the
// interleaved stream, several tokens and the float32 path gather rows back;
// all must give what the reference gives on the GGUF rows.
void QuadsMatMul(const WeightMatrix& w, const float* x, size_t n_tokens,
                 float* y, ThreadPool& pool, MatMulPrecision precision) {
  ASSERT_TRUE(FitsQuads(w));
  std::vector<uint8_t> quads(w.rows * w.row_bytes);
  RepackQuads(w, 0, w.rows, quads.data());
  MatMulImpl(AsQuads(w, quads.data()), x, n_tokens, y, pool, precision);
}

void TestQuadsLayout() {
  ThreadPool pool(3);
  for (GgmlType type : {GgmlType::kQ4_0, GgmlType::kQ4_K, GgmlType::kQ6_K}) {
    const size_t step = type == GgmlType::kQ4_0 ? 128 : 256;
    for (size_t cols : {step, 3 * step, size_t{1536}, size_t{2560}}) {
      for (size_t rows : {4u, 16u, 52u, 132u}) {
        for (size_t n_tokens : {1u, 3u, 9u}) {
          for (MatMulPrecision p : {MatMulPrecision::kQuantizedActivations,
                                    MatMulPrecision::kFloat32}) {
            CheckAgainstReference(type, p, rows, cols, n_tokens, pool, &QuadsMatMul);
          }
        }
      }
    }
    // Dequantizing a row gathers it back bit for bit.
    std::mt19937 rng(11);
    const std::vector<uint8_t> data = RandomWeights(type, 8, 768, rng);
    const WeightMatrix w{type, data.data(), 8, 768, data.size() / 8};
    std::vector<uint8_t> quads(data.size());
    RepackQuads(w, 0, 8, quads.data());
    std::vector<float> got(768), want(768);
    for (size_t r = 0; r < 8; ++r) {
      DequantizeRowImpl(AsQuads(w, quads.data()), r, got.data());
      DequantizeRowImpl(w, r, want.data());
      for (size_t i = 0; i < 768; ++i) ASSERT_EQ(got[i], want[i]);
    }
  }
}

void TestDequantizeRowAllTypes() {
  std::mt19937 rng(7);
  for (GgmlType type : kAllTypes) {
    const size_t cols = 512;
    const std::vector<uint8_t> data = RandomWeights(type, 3, cols, rng);
    const WeightMatrix w{type, data.data(), 3, cols, data.size() / 3};
    std::vector<float> got(cols), want(cols);
    for (size_t r = 0; r < 3; ++r) {
      DequantizeRowImpl(w, r, got.data());
      ref::DequantizeRow(type, data.data() + r * w.row_bytes, cols, want.data());
      for (size_t i = 0; i < cols; ++i) ASSERT_EQ(got[i], want[i]);
    }
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vigil::kernels {
HWY_BEFORE_TEST(MatMulTest);
HWY_EXPORT_AND_TEST_P(MatMulTest, TestMatMulAllTypes);
HWY_EXPORT_AND_TEST_P(MatMulTest, TestMatMulPanelTails);
HWY_EXPORT_AND_TEST_P(MatMulTest, TestMatMulStreamRows);
HWY_EXPORT_AND_TEST_P(MatMulTest, TestQuadsLayout);
HWY_EXPORT_AND_TEST_P(MatMulTest, TestDequantizeRowAllTypes);

TEST(MatMulValidateTest, RejectsBadMatricesWithTheTensorName) {
  uint8_t buf[64] = {};
  EXPECT_TRUE(ValidateWeight({GgmlType::kQ4_0, buf, 1, 32, 18}, "a").ok());
  const Status bad_type = ValidateWeight({GgmlType::kQ2_K, buf, 1, 256, 84}, "w");
  EXPECT_EQ(bad_type.code(), StatusCode::kUnsupported);
  EXPECT_NE(bad_type.message().find("'w'"), std::string::npos);
  EXPECT_EQ(ValidateWeight({GgmlType::kQ4_0, buf, 1, 33, 18}, "c").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeight({GgmlType::kQ8_0, buf, 1, 32, 18}, "d").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeight({GgmlType::kF32, nullptr, 2, 4, 16}, "e").code(),
            StatusCode::kInvalidArgument);
  // The quads layout holds Q4_K rows in fours only.
  uint8_t q4k[4 * 144] = {};
  EXPECT_TRUE(ValidateWeight({GgmlType::kQ4_K, q4k, 4, 256, 144, RowLayout::kQuads}, "f").ok());
  EXPECT_EQ(ValidateWeight({GgmlType::kQ4_K, q4k, 3, 256, 144, RowLayout::kQuads}, "g").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateWeight({GgmlType::kQ4_0, q4k, 4, 32, 18, RowLayout::kQuads}, "h").code(),
            StatusCode::kInvalidArgument);
}

// Only AVX-512 VNNI CPUs stream Q4_0, Q4_K and Q6_K faster as quads, and only matrices that
// fit the layout.
TEST(MatMulDispatchTest, QuadsAreChosenOnlyWhereTheyFit) {
  uint8_t q4k[8 * 210] = {};
  const WeightMatrix fits{GgmlType::kQ4_K, q4k, 8, 256, 144};
  const bool vnni = (hwy::SupportedTargets() & HWY_AVX3_DL) != 0;
  EXPECT_EQ(DecodesFasterAsQuads(fits), vnni);
  EXPECT_EQ(DecodesFasterAsQuads({GgmlType::kQ6_K, q4k, 4, 256, 210}), vnni);
  EXPECT_EQ(DecodesFasterAsQuads({GgmlType::kQ4_0, q4k, 4, 256, 144}), vnni);
  EXPECT_FALSE(DecodesFasterAsQuads({GgmlType::kQ4_K, q4k, 6, 256, 144}));
  EXPECT_FALSE(DecodesFasterAsQuads({GgmlType::kQ4_0, q4k, 4, 96, 54}));
  EXPECT_FALSE(DecodesFasterAsQuads({GgmlType::kQ8_0, q4k, 4, 256, 272}));
  EXPECT_FALSE(DecodesFasterAsQuads(AsQuads(fits, q4k)));
}

TEST(MatMulDispatchTest, PublicEntryPointMatchesReference) {
  ThreadPool pool(4);
  for (GgmlType type : {GgmlType::kQ4_0, GgmlType::kQ6_K, GgmlType::kBF16}) {
    // (BF16 weights times many tokens on the fast path may use bfloat16
    // products: matmul_gemm_test.cc checks those.)
    const size_t fast_tokens = type == GgmlType::kBF16 ? 1 : 17;
    CheckAgainstReference(type, MatMulPrecision::kQuantizedActivations, 37, 512,
                          fast_tokens, pool, &MatMul);
    CheckAgainstReference(type, MatMulPrecision::kFloat32, 37, 512, 17, pool,
                          &MatMul);
  }
}
}  // namespace vigil::kernels
#endif  // HWY_ONCE
