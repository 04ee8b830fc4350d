// SPDX-License-Identifier: Apache-2.0
// Elementwise primitives (ops.h). Kept scalar where the compiler vectorizes
// well or the op is not on the hot path; RmsNorm, GeluTanh (arrays), GeluMul
// and Softmax live in ops_simd.cc / ops-inl.h.
#include "inference/kernels/ops.h"

#include <cmath>
#include <limits>

#include "common/check.h"

namespace vigil::kernels {

float GeluTanh(float x) {
  constexpr float kSqrt2OverPi = 0.7978845608028654f;
  constexpr float kCoef = 0.044715f;
  return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * x * (1.0f + kCoef * x * x)));
}

void RopeAngles(size_t pos, float theta_base, size_t n_rot,
                const float* freq_factors, float* cos_out, float* sin_out) {
  // ggml's rope cache: theta_scale = base^(-2/n_rot) once, then repeated
  // multiplication (ref/README.md note 4), angle divided by the freq factor.
  const float theta_scale =
      std::pow(theta_base, -2.0f / static_cast<float>(n_rot));
  float theta = static_cast<float>(pos);
  for (size_t i = 0; i < n_rot / 2; ++i) {
    const float ff = freq_factors != nullptr ? freq_factors[i] : 1.0f;
    const float angle = theta / ff;
    cos_out[i] = std::cos(angle);
    sin_out[i] = std::sin(angle);
    theta *= theta_scale;
  }
}

void RopeNeoxApply(float* head, size_t dim, size_t n_rot, const float* cos_t,
                   const float* sin_t) {
  const size_t half = n_rot / 2;
  for (size_t i = 0; i < half && i + half < dim; ++i) {
    const float x0 = head[i];
    const float x1 = head[i + half];
    head[i] = x0 * cos_t[i] - x1 * sin_t[i];
    head[i + half] = x0 * sin_t[i] + x1 * cos_t[i];
  }
}

void RopeNeox(float* head, size_t dim, size_t pos, float theta_base,
              size_t n_rot, const float* freq_factors) {
  constexpr size_t kMaxPairs = 1024;
  float cos_t[kMaxPairs];
  float sin_t[kMaxPairs];
  VIGIL_CHECK(n_rot / 2 <= kMaxPairs);
  RopeAngles(pos, theta_base, n_rot, freq_factors, cos_t, sin_t);
  RopeNeoxApply(head, dim, n_rot, cos_t, sin_t);
}

void Add(const float* a, const float* b, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

void Mul(const float* a, const float* b, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = a[i] * b[i];
}

void Scale(float* x, size_t n, float s) {
  for (size_t i = 0; i < n; ++i) x[i] *= s;
}

}  // namespace vigil::kernels
