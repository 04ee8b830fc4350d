// SPDX-License-Identifier: Apache-2.0
// The vectorized ops (ops-inl.h) on every compiled target this CPU runs,
// against double-precision formulas, with lengths that leave vector tails.
#include <cmath>
#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tests/inference/kernels/ops_simd_test.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "inference/kernels/ops-inl.h"

#ifndef VIGIL_TESTS_KERNELS_OPS_SIMD_HELPERS_
#define VIGIL_TESTS_KERNELS_OPS_SIMD_HELPERS_
namespace vigil::kernels {
inline std::vector<float> RandomVec(size_t n, uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}
// 0.5 v (1 + tanh(z)) written as v / (1 + exp(-2z)): no cancellation for v < 0.
inline double GeluRef(double v) {
  const double z = std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v);
  return v / (1 + std::exp(-2 * z));
}
}  // namespace vigil::kernels
#endif  // VIGIL_TESTS_KERNELS_OPS_SIMD_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

void TestGeluMulAllLengths() {
  for (size_t n : {1u, 7u, 16u, 33u, 301u}) {
    auto x = RandomVec(n, 3 + n, 12.0f);
    x[0] = n > 1 ? -30.0f : 0.0f;  // saturated tail of the exp
    const auto up = RandomVec(n, 4 + n, 3.0f);
    std::vector<float> g(n), gm(n);
    GeluMulImpl(x.data(), nullptr, n, g.data());
    GeluMulImpl(x.data(), up.data(), n, gm.data());
    for (size_t i = 0; i < n; ++i) {
      // Relative: float rounding of z (|2z| <= 88) is amplified by exp.
      const double want = GeluRef(x[i]);
      ASSERT_NEAR(g[i], want, 2e-5 * std::fabs(want) + 1e-30) << x[i];
      ASSERT_NEAR(gm[i], want * up[i], 2e-5 * std::fabs(want * up[i]) + 1e-30);
    }
  }
}

void TestRmsNormAllLengths() {
  for (size_t n : {1u, 5u, 64u, 1537u}) {
    const auto x = RandomVec(n, 9 + n, 5.0f);
    const auto w = RandomVec(n, 10 + n, 2.0f);
    double ss = 0;
    for (float v : x) ss += double{v} * v;
    const double scale = 1.0 / std::sqrt(ss / n + 1e-6);
    std::vector<float> a(n), b(n);
    RmsNormImpl(x.data(), w.data(), n, 1e-6f, a.data());
    RmsNormImpl(x.data(), nullptr, n, 1e-6f, b.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_NEAR(a[i], x[i] * scale * w[i], 1e-6 * std::fabs(x[i] * scale * w[i]) + 1e-7);
      ASSERT_NEAR(b[i], x[i] * scale, 1e-6 * std::fabs(x[i] * scale) + 1e-7);
    }
  }
}

void TestSoftmaxAllLengths() {
  for (size_t n : {1u, 3u, 16u, 77u, 512u}) {
    auto x = RandomVec(n, 5 + n, 20.0f);
    if (n > 3) x[2] = -INFINITY;  // masked key
    std::vector<double> want(n);
    double max = -1e300, sum = 0;
    for (float v : x) max = std::max(max, double{v});
    for (size_t i = 0; i < n; ++i) sum += want[i] = std::exp(x[i] - max);
    SoftmaxImpl(x.data(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_NEAR(x[i], want[i] / sum, 1e-6);
    if (n > 3) ASSERT_EQ(x[2], 0.0f);
  }
  std::vector<float> masked(20, -INFINITY);
  SoftmaxImpl(masked.data(), masked.size());  // all masked: zeros, no NaN
  for (float v : masked) ASSERT_EQ(v, 0.0f);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vigil::kernels {
HWY_BEFORE_TEST(OpsSimdTest);
HWY_EXPORT_AND_TEST_P(OpsSimdTest, TestGeluMulAllLengths);
HWY_EXPORT_AND_TEST_P(OpsSimdTest, TestRmsNormAllLengths);
HWY_EXPORT_AND_TEST_P(OpsSimdTest, TestSoftmaxAllLengths);
}  // namespace vigil::kernels
#endif  // HWY_ONCE
