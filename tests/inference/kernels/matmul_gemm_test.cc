// SPDX-License-Identifier: Apache-2.0
// The float GEMM (matmul_gemm-inl.h) for F32/F16/BF16 weights on every
// compiled target this CPU runs, against a double-precision dot product of
// the scalar reference's decoded rows. Shapes cover the 2 x N row units and
// every token-tile tail; the only difference is float summation order, so
// |got - want| <= 2e-5 * sum|w_i x_i| + 1e-6.
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tests/inference/kernels/matmul_gemm_test.cc"
#include "inference/kernels/targets.h"  // IWYU pragma: keep
#include "hwy/foreach_target.h"          // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/tests/hwy_gtest.h"
#include "inference/kernels/matmul_gemm-inl.h"
#include "inference/kernels/matmul_gemm_bf16-inl.h"

#ifndef VIGIL_TESTS_KERNELS_GEMM_HELPERS_
#define VIGIL_TESTS_KERNELS_GEMM_HELPERS_
#include "inference/kernels/matmul_gemm.h"
#include "inference/kernels/scalar_ref.h"

namespace vigil::kernels {
using gguf::GgmlType;
using GemmFn = void (*)(const WeightMatrix&, const float*, size_t, float*,
                        ThreadPool&);

// Random rows of `type`, `pad` spare bytes after each row (a strided matrix).
inline std::vector<uint8_t> RandomFloatRows(GgmlType type, size_t rows,
                                            size_t cols, size_t row_bytes,
                                            std::mt19937& rng) {
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  std::vector<uint8_t> data(rows * row_bytes, 0xAB);
  for (size_t r = 0; r < rows; ++r) {
    uint8_t* row = data.data() + r * row_bytes;
    for (size_t c = 0; c < cols; ++c) {
      const float f = val(rng);
      if (type == GgmlType::kF32) {
        std::memcpy(row + 4 * c, &f, 4);
      } else {
        const uint16_t h = type == GgmlType::kF16 ? F32ToF16(f) : F32ToBf16(f);
        std::memcpy(row + 2 * c, &h, 2);
      }
    }
  }
  return data;
}

inline float RoundedToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u = (u + 0x7FFFu + ((u >> 16) & 1u)) & 0xFFFF0000u;
  std::memcpy(&f, &u, 4);
  return f;
}

// Random weights (values in [-1, 1), `row_bytes` apart) and activations (in
// [-2, 2)) for one GEMM, and the output it writes (NAN until then).
struct GemmCase {
  GemmCase(GgmlType type, size_t rows, size_t cols, size_t n_tokens,
           size_t row_bytes, uint32_t seed)
      : rng(seed),
        data(RandomFloatRows(type, rows, cols, row_bytes, rng)),
        w{type, data.data(), rows, cols, row_bytes},
        n_tokens(n_tokens),
        x(n_tokens * cols),
        y(n_tokens * rows, NAN) {
    std::uniform_real_distribution<float> val(-2.0f, 2.0f);
    for (float& v : x) v = val(rng);
  }

  // y against a double sum of the reference's decoded products (of the
  // bfloat16-rounded operands when `bf16_operands`):
  // |got - want| <= rel_tolerance * sum|w_i x_i| + 1e-6.
  void Expect(bool bf16_operands, double rel_tolerance) const {
    const size_t rows = w.rows, cols = w.cols;
    std::vector<float> wr(cols);
    for (size_t r = 0; r < rows; ++r) {
      ref::DequantizeRow(w.type, data.data() + r * w.row_bytes, cols,
                         wr.data());
      for (size_t t = 0; t < n_tokens; ++t) {
        double want = 0.0, mag = 0.0;
        for (size_t c = 0; c < cols; ++c) {
          const float xc = x[t * cols + c];
          const double p = bf16_operands
                               ? double(RoundedToBf16(wr[c])) * RoundedToBf16(xc)
                               : double(wr[c]) * xc;
          want += p;
          mag += std::fabs(p);
        }
        ASSERT_NEAR(y[t * rows + r], want, rel_tolerance * mag + 1e-6)
            << "type " << int(w.type) << " row " << r << " token " << t
            << " rows " << rows << " cols " << cols << " n_tokens "
            << n_tokens;
      }
    }
  }

  std::mt19937 rng;
  std::vector<uint8_t> data;
  WeightMatrix w;
  size_t n_tokens;
  std::vector<float> x, y;
};

inline void CheckGemm(GgmlType type, size_t rows, size_t cols, size_t n_tokens,
                      size_t pad, ThreadPool& pool, GemmFn gemm,
                      double rel_tolerance = 2e-5) {
  GemmCase g(type, rows, cols, n_tokens,
             cols * (type == GgmlType::kF32 ? 4 : 2) + pad,
             static_cast<uint32_t>(rows * 977 + cols * 31 + n_tokens));
  gemm(g.w, g.x.data(), n_tokens, g.y.data(), pool);
  g.Expect(/*bf16_operands=*/false, rel_tolerance);
}

// The bfloat16 GEMM where this target and CPU have it: exact products of the
// bfloat16-rounded operands, so |got - want| <= 1e-5 * sum|w_i x_i| + 1e-6
// against a double sum of them; elsewhere it declines and writes nothing.
inline void CheckBf16Gemm(GgmlType type, size_t rows, size_t cols,
                          size_t n_tokens, ThreadPool& pool,
                          bool (*gemm)(const WeightMatrix&, const float*,
                                       size_t, float*, ThreadPool&)) {
  GemmCase g(type, rows, cols, n_tokens, cols * 2,
             static_cast<uint32_t>(rows * 31 + cols * 977 + n_tokens));
  if (!gemm(g.w, g.x.data(), n_tokens, g.y.data(), pool)) {
    for (float v : g.y) ASSERT_TRUE(std::isnan(v));
    return;
  }
  g.Expect(/*bf16_operands=*/true, 1e-5);
}
}  // namespace vigil::kernels
#endif  // VIGIL_TESTS_KERNELS_GEMM_HELPERS_

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

constexpr GgmlType kFloatTypes[] = {GgmlType::kF32, GgmlType::kF16,
                                    GgmlType::kBF16};

// Rows around the 2 x N units (N = 1..16 lanes), tokens 2..13 hit every
// tile tail, odd and tiny column counts, padded rows.
void TestGemmShapes() {
  ThreadPool pool(3);
  for (GgmlType type : kFloatTypes) {
    for (size_t rows : {1u, 7u, 32u, 33u, 70u}) {
      for (size_t cols : {1u, 3u, 64u, 131u}) {
        for (size_t n_tokens : {2u, 5u, 6u, 7u, 13u}) {
          CheckGemm(type, rows, cols, n_tokens, rows % 2 == 0 ? 0 : 6, pool,
                    &FloatGemmImpl);
        }
      }
    }
  }
}

// Few rows and many tokens (attention's [hd, n] values): the token blocks
// split across threads; a single thread and more threads than tasks.
void TestGemmTokenBlocks() {
  for (int threads : {1, 2, 5}) {
    ThreadPool pool(threads);
    CheckGemm(GgmlType::kF32, 64, 300, 97, 0, pool, &FloatGemmImpl);
    CheckGemm(GgmlType::kF16, 16, 64, 250, 0, pool, &FloatGemmImpl);
  }
}

// bfloat16 products: rows around the 32-row units, every token tail, odd
// column counts (the pair padding), over 1 and 3 threads.
void TestBf16Gemm() {
  for (int threads : {1, 3}) {
    ThreadPool pool(threads);
    for (GgmlType type : {GgmlType::kF16, GgmlType::kBF16}) {
      for (size_t rows : {1u, 17u, 32u, 45u}) {
        for (size_t cols : {1u, 7u, 64u, 131u}) {
          for (size_t n_tokens : {2u, 6u, 13u}) {
            CheckBf16Gemm(type, rows, cols, n_tokens, pool, &Bf16GemmImpl);
          }
        }
      }
    }
  }
}

// Pre-packed operands (attention): a matrix read with row/column strides
// (plain and transposed), strided token rows in and strided outputs out,
// against a double-precision product; padding outputs stay untouched.
void TestPackedGemm() {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  for (bool transposed : {false, true}) {
    for (size_t rows : {1u, 16u, 45u}) {
      for (size_t cols : {1u, 16u, 70u}) {
        for (size_t n_tokens : {1u, 6u, 11u}) {
          const size_t ld = (transposed ? rows : cols) + 3;  // source stride
          std::vector<float> src(ld * (transposed ? cols : rows));
          for (float& v : src) v = val(rng);
          const size_t rs = transposed ? 1 : ld, cs = transposed ? ld : 1;
          std::vector<float> packed(GemmPackedFloatsImpl(rows, cols), NAN);
          PackGemmImpl(src.data(), rs, cs, rows, cols, packed.data());
          const size_t xs = cols + 5, ys = rows + 2;
          std::vector<float> x(n_tokens * xs), y(n_tokens * ys, -7.0f);
          for (float& v : x) v = val(rng);
          PackedGemmImpl(packed.data(), rows, cols, x.data(), xs, n_tokens,
                         y.data(), ys);
          for (size_t t = 0; t < n_tokens; ++t) {
            for (size_t r = 0; r < rows; ++r) {
              double want = 0.0, mag = 0.0;
              for (size_t k = 0; k < cols; ++k) {
                const double p = double(src[r * rs + k * cs]) * x[t * xs + k];
                want += p;
                mag += std::fabs(p);
              }
              ASSERT_NEAR(y[t * ys + r], want, 2e-5 * mag + 1e-6)
                  << "rows " << rows << " cols " << cols << " token " << t
                  << " row " << r << " transposed " << transposed;
            }
            for (size_t r = rows; r < ys; ++r) ASSERT_EQ(y[t * ys + r], -7.0f);
          }
        }
      }
    }
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vigil::kernels {
HWY_BEFORE_TEST(GemmTest);
HWY_EXPORT_AND_TEST_P(GemmTest, TestGemmShapes);
HWY_EXPORT_AND_TEST_P(GemmTest, TestGemmTokenBlocks);
HWY_EXPORT_AND_TEST_P(GemmTest, TestPackedGemm);
HWY_EXPORT_AND_TEST_P(GemmTest, TestBf16Gemm);

// The public MatMul routes float weights with > 1 token here; the same
// product through it (kFloat32: float32 products), repeated so the
// per-thread panel cache sees new calls on a different matrix of the same
// shape.
TEST(GemmDispatchTest, MatMulUsesGemmForFloatWeights) {
  ThreadPool pool(2);
  auto via_matmul = [](const WeightMatrix& w, const float* x, size_t n,
                       float* y, ThreadPool& p) {
    MatMul(w, x, n, y, p, MatMulPrecision::kFloat32);
  };
  for (int rep = 0; rep < 3; ++rep) {
    for (GgmlType type : {GgmlType::kF32, GgmlType::kF16, GgmlType::kBF16}) {
      CheckGemm(type, 45 + rep, 96, 11, 0, pool, via_matmul);
    }
  }
}

// The fast path (kQuantizedActivations) of F16/BF16 weights: the bfloat16
// GEMM on CPUs with it, the float32 one elsewhere; either way within the
// bfloat16 rounding of both operands (2^-8 per product) of the exact result.
TEST(GemmDispatchTest, FastPathOfHalfWeightsIsWithinBf16Rounding) {
  ThreadPool pool(2);
  auto fast = [](const WeightMatrix& w, const float* x, size_t n, float* y,
                 ThreadPool& p) { MatMul(w, x, n, y, p); };
  for (GgmlType type : {GgmlType::kF16, GgmlType::kBF16}) {
    CheckGemm(type, 40, 96, 11, 0, pool, fast, 1.0 / 256);
  }
}

// Pre-packed bfloat16 operands (vision attention), plain and transposed
// sources, strided tokens and outputs, against exact products of the
// bfloat16-rounded operands. Only CPUs with bfloat16 products run them
// (callers check HasBf16Products(); PackGemmBf16 aborts elsewhere).
TEST(GemmDispatchTest, PackedBf16GemmMatchesRoundedReference) {
  if (!HasBf16Products()) {
    EXPECT_FALSE(HasBf16Products());  // the float32 attention path is used
    return;
  }
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  for (bool transposed : {false, true}) {
    for (size_t rows : {1u, 33u, 70u}) {
      for (size_t cols : {3u, 64u}) {
        const size_t n_tokens = 7, ld = (transposed ? rows : cols) + 3;
        std::vector<float> src(ld * (transposed ? cols : rows));
        for (float& v : src) v = val(rng);
        const size_t rs = transposed ? 1 : ld, cs = transposed ? ld : 1;
        std::vector<uint16_t> packed(GemmPackedBf16s(rows, cols));
        PackGemmBf16(src.data(), rs, cs, rows, cols, packed.data());
        const size_t xs = cols + 5, ys = rows + 2;
        std::vector<float> x(n_tokens * xs), y(n_tokens * ys, -7.0f);
        for (float& v : x) v = val(rng);
        PackedGemmBf16({.packed = packed.data(), .rows = rows, .cols = cols,
                        .x = x.data(), .x_stride = xs, .n_tokens = n_tokens,
                        .y = y.data(), .y_stride = ys});
        for (size_t t = 0; t < n_tokens; ++t) {
          for (size_t r = 0; r < rows; ++r) {
            double want = 0.0, mag = 0.0;
            for (size_t k = 0; k < cols; ++k) {
              const double p = double(RoundedToBf16(src[r * rs + k * cs])) *
                               RoundedToBf16(x[t * xs + k]);
              want += p;
              mag += std::fabs(p);
            }
            ASSERT_NEAR(y[t * ys + r], want, 1e-5 * mag + 1e-6)
                << "rows " << rows << " cols " << cols << " row " << r;
          }
          for (size_t r = rows; r < ys; ++r) ASSERT_EQ(y[t * ys + r], -7.0f);
        }
      }
    }
  }
}
}  // namespace vigil::kernels
#endif  // HWY_ONCE
