// SPDX-License-Identifier: Apache-2.0
// ops.h against straightforward double-precision formulas (relative 1e-5
// unless stated).
#include "inference/kernels/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace vigil::kernels {
namespace {

std::vector<float> Random(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = nd(rng);
  return v;
}

TEST(OpsTest, RmsNormWithAndWithoutWeight) {
  for (size_t n : {1u, 7u, 256u, 1537u}) {
    const auto x = Random(n, 1, 3.0f);
    const auto w = Random(n, 2);
    double ss = 0;
    for (float v : x) ss += double{v} * v;
    const double inv = 1.0 / std::sqrt(ss / n + 1e-6);
    std::vector<float> out(n), out0(n);
    RmsNorm(x.data(), w.data(), n, 1e-6f, out.data());
    RmsNorm(x.data(), nullptr, n, 1e-6f, out0.data());
    for (size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(out[i], x[i] * inv * w[i], 1e-5 * std::fabs(x[i] * inv * w[i]) + 1e-6);
      EXPECT_NEAR(out0[i], x[i] * inv, 1e-5 * std::fabs(x[i] * inv) + 1e-6);
    }
  }
}

TEST(OpsTest, GeluTanhAndGeluMul) {
  const auto x = Random(300, 3, 4.0f);
  const auto up = Random(300, 4);
  std::vector<float> g(300), gm(300);
  GeluTanh(x.data(), 300, g.data());
  GeluMul(x.data(), up.data(), 300, gm.data());
  for (size_t i = 0; i < 300; ++i) {
    const double v = x[i];
    const double want =
        0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    EXPECT_NEAR(g[i], want, 1e-5 * std::fabs(want) + 1e-6);
    EXPECT_NEAR(gm[i], want * up[i], 1e-5 * std::fabs(want * up[i]) + 1e-6);
  }
  EXPECT_EQ(GeluTanh(0.0f), 0.0f);
  EXPECT_NEAR(GeluTanh(20.0f), 20.0f, 1e-5);
  EXPECT_NEAR(GeluTanh(-20.0f), 0.0f, 1e-5);
}

TEST(OpsTest, SoftmaxMatchesFormulaAndHandlesMaskedEntries) {
  auto x = Random(77, 5, 10.0f);
  x[3] = -INFINITY;
  std::vector<double> want(77);
  double max = -1e300, sum = 0;
  for (float v : x) max = std::max(max, double{v});
  for (size_t i = 0; i < 77; ++i) sum += want[i] = std::exp(x[i] - max);
  Softmax(x.data(), 77);
  for (size_t i = 0; i < 77; ++i) EXPECT_NEAR(x[i], want[i] / sum, 1e-6);
  EXPECT_EQ(x[3], 0.0f);
}

TEST(OpsTest, SoftCap) {
  auto x = Random(50, 6, 40.0f);
  const auto orig = x;
  SoftCap(x.data(), 50, 30.0f);
  for (size_t i = 0; i < 50; ++i) {
    EXPECT_NEAR(x[i], 30.0 * std::tanh(orig[i] / 30.0), 1e-4);
  }
}

TEST(OpsTest, RopeNeoxFullRotation) {
  const size_t dim = 256, pos = 1234;
  auto head = Random(dim, 7);
  const auto orig = head;
  RopeNeox(head.data(), dim, pos, 10000.0f, dim, nullptr);
  for (size_t i = 0; i < dim / 2; ++i) {
    const double theta = pos * std::pow(10000.0, -2.0 * i / dim);
    const double c = std::cos(theta), s = std::sin(theta);
    // f32 angles at pos 1234 carry ~1e-4 absolute phase error (ref note 4).
    EXPECT_NEAR(head[i], orig[i] * c - orig[i + 128] * s, 2e-3);
    EXPECT_NEAR(head[i + 128], orig[i + 128] * c + orig[i] * s, 2e-3);
  }
}

TEST(OpsTest, RopeProportionalWithFreqFactors) {
  // Gemma 4 full-attention layers: n_rot = 512, factors 1 for 64 pairs and
  // 1e30 for the rest, so only dims 0-63 and 256-319 rotate (spec §3.4).
  const size_t dim = 512, pos = 7;
  std::vector<float> ff(256, 1e30f);
  for (size_t i = 0; i < 64; ++i) ff[i] = 1.0f;
  auto head = Random(dim, 8);
  const auto orig = head;
  RopeNeox(head.data(), dim, pos, 1e6f, dim, ff.data());
  for (size_t i = 0; i < 256; ++i) {
    const double theta = i < 64 ? pos * std::pow(1e6, -2.0 * i / 512) : 0.0;
    const double c = std::cos(theta), s = std::sin(theta);
    EXPECT_NEAR(head[i], orig[i] * c - orig[i + 256] * s, 1e-5) << i;
    EXPECT_NEAR(head[i + 256], orig[i + 256] * c + orig[i] * s, 1e-5) << i;
  }
  // Partial rotation: dims >= n_rot pass through untouched.
  auto part = orig;
  RopeNeox(part.data(), dim, pos, 10000.0f, 128, nullptr);
  for (size_t i = 128; i < dim; ++i) EXPECT_EQ(part[i], orig[i]);
  EXPECT_NE(part[0], orig[0]);
}

TEST(OpsTest, RopeTablesMatchDirectCall) {
  const size_t dim = 256;
  auto a = Random(dim, 9);
  auto b = a;
  std::vector<float> c(128), s(128);
  RopeAngles(99, 10000.0f, dim, nullptr, c.data(), s.data());
  RopeNeoxApply(a.data(), dim, dim, c.data(), s.data());
  RopeNeox(b.data(), dim, 99, 10000.0f, dim, nullptr);
  EXPECT_EQ(a, b);
}

TEST(OpsTest, VectorArithmetic) {
  for (size_t n : {1u, 15u, 64u, 1001u}) {
    const auto a = Random(n, 10), b = Random(n, 11);
    std::vector<float> out(n), y = b;
    Add(a.data(), b.data(), n, out.data());
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], a[i] + b[i]);
    Mul(a.data(), b.data(), n, out.data());
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], a[i] * b[i]);
    Axpy(0.5f, a.data(), n, y.data());
    for (size_t i = 0; i < n; ++i) EXPECT_NEAR(y[i], b[i] + 0.5f * a[i], 1e-6);
    out = a;
    Scale(out.data(), n, -2.0f);
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], -2.0f * a[i]);
    double dot = 0, mag = 0;
    for (size_t i = 0; i < n; ++i) {
      dot += double{a[i]} * b[i];
      mag += std::fabs(double{a[i]} * b[i]);
    }
    EXPECT_NEAR(Dot(a.data(), b.data(), n), dot, 1e-6 * mag + 1e-7);
  }
}

// The attention row kernels promise the very sums of Dot and of Axpy calls
// in key order, so the decoder's results do not depend on which one runs.
TEST(OpsTest, RowKernelsEqualPerRowDotAndAxpy) {
  for (size_t n : {1u, 15u, 16u, 80u, 256u, 512u}) {
    for (size_t n_rows : {1u, 2u, 5u, 64u}) {
      const size_t stride = n + 7;  // rows of a wider cache line-up
      const auto rows = Random(n_rows * stride, 12), q = Random(n, 13);
      const auto w = Random(n_rows, 14), y0 = Random(n, 15);
      std::vector<float> scores(n_rows), y = y0, y_ref = y0;
      DotRows(q.data(), rows.data(), stride, n_rows, n, scores.data());
      AddWeightedRows(w.data(), rows.data(), stride, n_rows, n, y.data());
      for (size_t j = 0; j < n_rows; ++j) {
        EXPECT_EQ(scores[j], Dot(q.data(), rows.data() + j * stride, n))
            << "n " << n << " row " << j;
        Axpy(w[j], rows.data() + j * stride, n, y_ref.data());
      }
      EXPECT_EQ(y, y_ref) << "n " << n << " rows " << n_rows;
    }
  }
}

}  // namespace
}  // namespace vigil::kernels
