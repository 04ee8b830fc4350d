// SPDX-License-Identifier: Apache-2.0
// Elementwise float32 primitives of the forward pass (spec/gemma4-text.md
// §3.1, §3.4). Pointers may alias only where a function says so.
#pragma once

#include <cstddef>

namespace vigil::kernels {

// Writes `out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i]`, or without the `* w`
// when `w` is nullptr (RMSNorm0). The sum of squares is accumulated in double
// as llama.cpp does (ref/README.md note 4). `out` may equal `x`.
void RmsNorm(const float* x, const float* w, size_t n, float eps, float* out);

// Returns the tanh-approximated GELU of `x` in float32 (exact `tanhf`, not
// llama.cpp's fp16 table): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
float GeluTanh(float x);
// Writes `out[i] = GeluTanh(x[i])`. `out` may equal `x`.
void GeluTanh(const float* x, size_t n, float* out);
// Writes `out[i] = GeluTanh(gate[i]) * up[i]` (the gated FFN, §3.3). `out`
// may equal `gate` or `up`.
void GeluMul(const float* gate, const float* up, size_t n, float* out);

// Replaces `x` by softmax(x) in place (max subtracted first; -inf entries
// become 0). `n` >= 1.
void Softmax(float* x, size_t n);

// Writes `x[i] = cap * tanh(x[i] / cap)` in place (logit soft-capping).
void SoftCap(float* x, size_t n, float cap);

// Rotates one head vector `head[dim]` at position `pos` in NEOX layout: pairs
// (i, i + n_rot/2) for i < n_rot/2; dims >= n_rot pass through. Angles are
// float32 `pos * theta_base^(-2i/n_rot) / freq_factors[i]` with the per-pair
// factor accumulated by repeated multiplication (ref/README.md note 4;
// spec §3.4 for the proportional variant). `freq_factors` (n_rot/2 entries)
// may be nullptr.
void RopeNeox(float* head, size_t dim, size_t pos, float theta_base,
              size_t n_rot, const float* freq_factors);

// Precomputes the n_rot/2 cosines and sines `RopeNeox` uses, so that all heads
// of one token share them (same arguments as `RopeNeox`).
void RopeAngles(size_t pos, float theta_base, size_t n_rot,
                const float* freq_factors, float* cos_out, float* sin_out);
// Rotates `head[dim]` with tables from `RopeAngles`; same result as `RopeNeox`.
void RopeNeoxApply(float* head, size_t dim, size_t n_rot, const float* cos_t,
                   const float* sin_t);

// Writes `out[i] = a[i] + b[i]`. `out` may equal `a` or `b`.
void Add(const float* a, const float* b, size_t n, float* out);
// Writes `out[i] = a[i] * b[i]`. `out` may equal `a` or `b`.
void Mul(const float* a, const float* b, size_t n, float* out);
// Multiplies `x[i]` by `s` in place.
void Scale(float* x, size_t n, float s);
// Adds `a * x[i]` to `y[i]`.
void Axpy(float a, const float* x, size_t n, float* y);
// Returns sum of `a[i] * b[i]` (float32 accumulation, any order).
float Dot(const float* a, const float* b, size_t n);

// Attention over a run of cache rows `rows + j * stride` (j < n_rows), each
// `n` floats. `DotRows` writes `out[j] = Dot(q, row j, n)` with `Dot`'s exact
// sums; `AddWeightedRows` adds `w[j] * row j` to `y` for j in order, the same
// result as n_rows `Axpy` calls. One call per run keeps `q` and the running
// `y` in registers instead of reloading them per key.
void DotRows(const float* q, const float* rows, size_t stride, size_t n_rows,
             size_t n, float* out);
void AddWeightedRows(const float* w, const float* rows, size_t stride,
                     size_t n_rows, size_t n, float* y);

}  // namespace vigil::kernels
