// SPDX-License-Identifier: Apache-2.0
// Per-target hot elementwise ops (ops.h): RMSNorm, GELU(-tanh) and its gated
// product, softmax. GELU uses the identity 0.5 x (1 + tanh(z)) =
// x / (1 + exp(-2z)), which keeps full relative accuracy for negative x where
// 1 + tanh(z) would cancel; exp comes from hwy/contrib/math (<= 2 ulp).
#if defined(VIGIL_KERNELS_OPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_OPS_INL_H_
#undef VIGIL_KERNELS_OPS_INL_H_
#else
#define VIGIL_KERNELS_OPS_INL_H_
#endif

#include <cmath>
#include <cstddef>
#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Returns GELU-tanh of every lane of `x` (spec §3.3).
template <class D, class V = hn::Vec<D>>
HWY_INLINE V GeluTanhVec(D d, V x) {
  const V k2SqrtTwoOverPi = hn::Set(d, 2.0f * 0.7978845608028654f);
  const V kCoef = hn::Set(d, 0.044715f);
  const V x2 = hn::Mul(x, x);
  // -2z = -2 sqrt(2/pi) x (1 + 0.044715 x^2), clamped so exp stays finite.
  V m2z = hn::Neg(hn::Mul(hn::Mul(k2SqrtTwoOverPi, x),
                          hn::MulAdd(kCoef, x2, hn::Set(d, 1.0f))));
  m2z = hn::Min(hn::Max(m2z, hn::Set(d, -88.0f)), hn::Set(d, 88.0f));
  return hn::Div(x, hn::Add(hn::Set(d, 1.0f), hn::CallExp(d, m2z)));
}

inline void GeluMulImpl(const float* gate, const float* up, size_t n,
                        float* out) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto g = GeluTanhVec(d, hn::LoadU(d, gate + i));
    hn::StoreU(up ? hn::Mul(g, hn::LoadU(d, up + i)) : g, d, out + i);
  }
  if (i < n) {
    const size_t rest = n - i;
    HWY_ALIGN float g[hn::MaxLanes(d)] = {}, u[hn::MaxLanes(d)] = {};
    for (size_t k = 0; k < rest; ++k) {
      g[k] = gate[i + k];
      u[k] = up ? up[i + k] : 1.0f;
    }
    const auto v = hn::Mul(GeluTanhVec(d, hn::Load(d, g)), hn::Load(d, u));
    hn::Store(v, d, g);
    for (size_t k = 0; k < rest; ++k) out[i + k] = g[k];
  }
}

// Sum of squares accumulated in double (ref/README.md note 4), then scaled.
inline void RmsNormImpl(const float* x, const float* w, size_t n, float eps,
                        float* out) {
#if HWY_HAVE_FLOAT64
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df_half;
  const size_t ND = hn::Lanes(dd);
  auto acc = hn::Zero(dd);
  size_t i = 0;
  for (; i + ND <= n; i += ND) {
    const auto v = hn::PromoteTo(dd, hn::LoadU(df_half, x + i));
    acc = hn::MulAdd(v, v, acc);
  }
  double sum = hn::GetLane(hn::SumOfLanes(dd, acc));
#else
  double sum = 0.0;
  size_t i = 0;
#endif
  for (; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  const float scale = 1.0f / std::sqrt(mean + eps);
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto vs = hn::Set(d, scale);
  size_t j = 0;
  for (; j + N <= n; j += N) {
    auto v = hn::Mul(hn::LoadU(d, x + j), vs);
    if (w != nullptr) v = hn::Mul(v, hn::LoadU(d, w + j));
    hn::StoreU(v, d, out + j);
  }
  for (; j < n; ++j) out[j] = w ? x[j] * scale * w[j] : x[j] * scale;
}

inline void SoftmaxImpl(float* x, size_t n) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  auto vmax = hn::Set(d, kNegInf);
  size_t i = 0;
  for (; i + N <= n; i += N) vmax = hn::Max(vmax, hn::LoadU(d, x + i));
  float max = hn::GetLane(hn::MaxOfLanes(d, vmax));
  for (; i < n; ++i) max = std::fmax(max, x[i]);
  if (max == kNegInf) max = 0.0f;
  // exp(x - max) <= 1; -inf and very negative inputs give exactly 0.
  const auto vm = hn::Set(d, max);
  auto vsum = hn::Zero(d);
  for (i = 0; i + N <= n; i += N) {
    const auto e = hn::CallExp(d, hn::Max(hn::Sub(hn::LoadU(d, x + i), vm),
                                          hn::Set(d, -1000.0f)));
    hn::StoreU(e, d, x + i);
    vsum = hn::Add(vsum, e);
  }
  double sum = hn::GetLane(hn::SumOfLanes(d, vsum));
  for (; i < n; ++i) {
    x[i] = std::exp(x[i] - max);
    sum += x[i];
  }
  const float inv = sum > 0.0 ? static_cast<float>(1.0 / sum) : 0.0f;
  const auto vi = hn::Set(d, inv);
  for (i = 0; i + N <= n; i += N) hn::StoreU(hn::Mul(hn::LoadU(d, x + i), vi), d, x + i);
  for (; i < n; ++i) x[i] *= inv;
}

// cap * tanh(x / cap) in place; hwy's Tanh is within a few ulp of tanhf.
inline void SoftCapImpl(float* x, size_t n, float cap) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto vcap = hn::Set(d, cap), vinv = hn::Set(d, 1.0f / cap);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto v = hn::Mul(hn::LoadU(d, x + i), vinv);
    hn::StoreU(hn::Mul(vcap, hn::CallTanh(d, v)), d, x + i);
  }
  for (; i < n; ++i) x[i] = cap * std::tanh(x[i] * (1.0f / cap));
}

// Attention's inner products (head_dim 64-512): four independent chains.
inline float DotImpl(const float* a, const float* b, size_t n) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), s0);
    s1 = hn::MulAdd(hn::LoadU(d, a + i + N), hn::LoadU(d, b + i + N), s1);
    s2 = hn::MulAdd(hn::LoadU(d, a + i + 2 * N), hn::LoadU(d, b + i + 2 * N), s2);
    s3 = hn::MulAdd(hn::LoadU(d, a + i + 3 * N), hn::LoadU(d, b + i + 3 * N), s3);
  }
  for (; i + N <= n; i += N) {
    s0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), s0);
  }
  float sum = hn::GetLane(
      hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

inline void AxpyImpl(float a, const float* x, size_t n, float* y) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto va = hn::Set(d, a);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    hn::StoreU(hn::MulAdd(va, hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, y + i);
  }
  for (; i < n; ++i) y[i] += a * x[i];
}

// Two rows at a time with DotImpl's four accumulators each, so every score
// is bit-identical to DotImpl's while `q` is loaded once per pair.
inline void DotRowsImpl(const float* q, const float* rows, size_t stride,
                        size_t n_rows, size_t n, float* out) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  for (; j + 2 <= n_rows; j += 2) {
    const float* a = rows + j * stride;
    const float* b = a + stride;
    auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
    auto b0 = hn::Zero(d), b1 = hn::Zero(d), b2 = hn::Zero(d), b3 = hn::Zero(d);
    size_t i = 0;
    for (; i + 4 * N <= n; i += 4 * N) {
      const auto q0 = hn::LoadU(d, q + i), q1 = hn::LoadU(d, q + i + N);
      const auto q2 = hn::LoadU(d, q + i + 2 * N);
      const auto q3 = hn::LoadU(d, q + i + 3 * N);
      a0 = hn::MulAdd(q0, hn::LoadU(d, a + i), a0);
      b0 = hn::MulAdd(q0, hn::LoadU(d, b + i), b0);
      a1 = hn::MulAdd(q1, hn::LoadU(d, a + i + N), a1);
      b1 = hn::MulAdd(q1, hn::LoadU(d, b + i + N), b1);
      a2 = hn::MulAdd(q2, hn::LoadU(d, a + i + 2 * N), a2);
      b2 = hn::MulAdd(q2, hn::LoadU(d, b + i + 2 * N), b2);
      a3 = hn::MulAdd(q3, hn::LoadU(d, a + i + 3 * N), a3);
      b3 = hn::MulAdd(q3, hn::LoadU(d, b + i + 3 * N), b3);
    }
    for (; i + N <= n; i += N) {
      const auto qv = hn::LoadU(d, q + i);
      a0 = hn::MulAdd(qv, hn::LoadU(d, a + i), a0);
      b0 = hn::MulAdd(qv, hn::LoadU(d, b + i), b0);
    }
    float sa = hn::GetLane(
        hn::SumOfLanes(d, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3))));
    float sb = hn::GetLane(
        hn::SumOfLanes(d, hn::Add(hn::Add(b0, b1), hn::Add(b2, b3))));
    for (; i < n; ++i) {
      sa += q[i] * a[i];
      sb += q[i] * b[i];
    }
    out[j] = sa;
    out[j + 1] = sb;
  }
  if (j < n_rows) out[j] = DotImpl(q, rows + j * stride, n);
}

// Four vectors of `y` stay in registers while every row adds into them; each
// lane sees the same fused multiply-adds in the same order as AxpyImpl.
inline void AddWeightedRowsImpl(const float* w, const float* rows,
                                size_t stride, size_t n_rows, size_t n,
                                float* y) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    auto y0 = hn::LoadU(d, y + i), y1 = hn::LoadU(d, y + i + N);
    auto y2 = hn::LoadU(d, y + i + 2 * N), y3 = hn::LoadU(d, y + i + 3 * N);
    const float* r = rows + i;
    for (size_t j = 0; j < n_rows; ++j, r += stride) {
      const auto wj = hn::Set(d, w[j]);
      y0 = hn::MulAdd(wj, hn::LoadU(d, r), y0);
      y1 = hn::MulAdd(wj, hn::LoadU(d, r + N), y1);
      y2 = hn::MulAdd(wj, hn::LoadU(d, r + 2 * N), y2);
      y3 = hn::MulAdd(wj, hn::LoadU(d, r + 3 * N), y3);
    }
    hn::StoreU(y0, d, y + i);
    hn::StoreU(y1, d, y + i + N);
    hn::StoreU(y2, d, y + i + 2 * N);
    hn::StoreU(y3, d, y + i + 3 * N);
  }
  for (; i + N <= n; i += N) {
    auto acc = hn::LoadU(d, y + i);
    for (size_t j = 0; j < n_rows; ++j) {
      acc = hn::MulAdd(hn::Set(d, w[j]), hn::LoadU(d, rows + j * stride + i),
                       acc);
    }
    hn::StoreU(acc, d, y + i);
  }
  for (; i < n; ++i) {
    for (size_t j = 0; j < n_rows; ++j) y[i] += w[j] * rows[j * stride + i];
  }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_OPS_INL_H_
