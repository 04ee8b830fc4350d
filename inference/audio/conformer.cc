// SPDX-License-Identifier: Apache-2.0
// The conformer block of the audio tower (spec §7.2, §7.3): macaron FFNs,
// local relative-position attention, the light-conv module.
#include <algorithm>
#include <cmath>

#include "inference/audio/tower.h"
#include "inference/kernels/ops.h"

namespace vigil::audio::internal {
namespace {

namespace ops = vigil::kernels;

// q scale (1/sqrt(hd))/ln 2 and k scale ln(1+e)/ln 2 (spec §7.3, §11).
constexpr float kLn2 = 0.69314718055994530942f;
const float kKeyScale = static_cast<float>(std::log1p(std::exp(1.0)) /
                                           std::log(2.0));

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float Silu(float x) { return x * Sigmoid(x); }

}  // namespace

void FeedForwardBlock(Tower& t, int il, bool second) {
  const AudioLayerWeights& lw = t.w.layers[il];
  const size_t n = t.n, d = t.c.n_embd, nff = t.c.n_ff;
  const ClampedLinear& up = second ? lw.ffn_up_1 : lw.ffn_up;
  const ClampedLinear& down = second ? lw.ffn_down_1 : lw.ffn_down;
  t.NormRows(t.x.data(), second ? lw.ffn_norm_1 : lw.ffn_norm, n, d,
             t.xn.data());
  float* out = t.o.data();
  for (size_t b = 0; b < n; b += t.ffn_rows) {
    const size_t m = std::min(t.ffn_rows, n - b);
    t.Linear(up, &t.xn[b * d], m, t.ff.data());
    t.ForEach(m, nff, [&](size_t r) {
      float* h = &t.ff[r * nff];
      for (size_t i = 0; i < nff; ++i) h[i] = Silu(h[i]);
    });
    t.Linear(down, t.ff.data(), m, &out[b * d]);
  }
  t.NormRows(out, second ? lw.ffn_post_norm_1 : lw.ffn_post_norm, n, d, out);
  const float r = t.c.ffn_residual;
  t.ForEach(n, d, [&](size_t p) { ops::Axpy(r, &out[p * d], d, &t.x[p * d]); });
  t.Emit(second ? "ffn2_out" : "ffn1_out", il, t.x.data(), n, d);
}

void AttentionBlock(Tower& t, int il) {
  const AudioLayerWeights& lw = t.w.layers[il];
  const size_t n = t.n, d = t.c.n_embd, hd = t.c.head_dim, nh = t.c.n_head;
  const size_t win = t.c.attn_chunk;
  t.NormRows(t.x.data(), lw.attn_pre_norm, n, d, t.xn.data());
  // Execution order v, k, q: their in-place input clamps chain (note 6).
  t.Linear(lw.attn_v, t.xn.data(), n, t.v.data());
  t.Linear(lw.attn_k, t.xn.data(), n, t.k.data());
  t.Linear(lw.attn_q, t.xn.data(), n, t.q.data());
  const float q_scale = 1.0f / std::sqrt(float(hd)) / kLn2;
  t.ForEach(n, d, [&](size_t p) {
    for (size_t h = 0; h < nh; ++h) {
      float* qh = &t.q[p * d + h * hd];
      float* kh = &t.k[p * d + h * hd];
      for (size_t i = 0; i < hd; ++i) {
        qh[i] *= q_scale * lw.per_dim_scale[i];
        kh[i] *= kKeyScale;
        if (lw.per_dim_k_scale != nullptr) kh[i] *= lw.per_dim_k_scale[i];
      }
    }
  });
  // Position keys r_delta = attn_k_rel . pe(delta), delta < win.
  ops::MatMul(lw.attn_k_rel, t.pe.data(), win, t.rel.data(), t.pool,
              t.opt.precision);
  const float cap = t.c.attn_softcap;
  t.ForEach(n, nh * win * hd * 3, [&](size_t i) {
    float logits[64];
    const size_t j0 = i + 1 >= win ? i + 1 - win : 0;
    const size_t nk = i - j0 + 1;
    for (size_t h = 0; h < nh; ++h) {
      const float* qi = &t.q[i * d + h * hd];
      for (size_t j = j0; j <= i; ++j) {
        const float* r = &t.rel[(i - j) * d + h * hd];
        float l = ops::Dot(qi, &t.k[j * d + h * hd], hd) + ops::Dot(qi, r, hd);
        logits[j - j0] = cap * std::tanh(l / cap);
      }
      ops::Softmax(logits, nk);
      float* oi = &t.o[i * d + h * hd];
      std::fill(oi, oi + hd, 0.0f);
      for (size_t j = j0; j <= i; ++j) {
        ops::Axpy(logits[j - j0], &t.v[j * d + h * hd], hd, oi);
      }
    }
  });
  t.Linear(lw.attn_out, t.o.data(), n, t.q.data());
  t.NormRows(t.q.data(), lw.attn_post_norm, n, d, t.q.data());
  t.ForEach(n, d, [&](size_t p) {
    ops::Add(&t.x[p * d], &t.q[p * d], d, &t.x[p * d]);
  });
  t.Emit("attn_out", il, t.x.data(), n, d);
}

void LightConvBlock(Tower& t, int il) {
  const AudioLayerWeights& lw = t.w.layers[il];
  const size_t n = t.n, d = t.c.n_embd, kw = t.c.dw_kernel;
  t.NormRows(t.x.data(), lw.conv_norm, n, d, t.xn.data());
  t.Linear(lw.conv_pw1, t.xn.data(), n, t.wide.data());
  // GLU: first half gated by the sigmoid of the second half, into `v`.
  t.ForEach(n, d, [&](size_t p) {
    const float* c = &t.wide[p * 2 * d];
    float* g = &t.v[p * d];
    for (size_t i = 0; i < d; ++i) g[i] = c[i] * Sigmoid(c[d + i]);
  });
  // Causal depthwise conv: tap j reads time step p - (kw - 1) + j.
  t.ForEach(n, d * kw, [&](size_t p) {
    float* out = &t.o[p * d];
    for (size_t ch = 0; ch < d; ++ch) {
      const float* taps = &lw.conv_dw[ch * kw];
      float acc = 0.0f;
      for (size_t j = 0; j < kw; ++j) {
        if (p + j + 1 < kw) continue;
        acc += taps[j] * t.v[(p + j + 1 - kw) * d + ch];
      }
      out[ch] = acc;
    }
  });
  t.NormRows(t.o.data(), lw.norm_conv, n, d, t.o.data());
  t.ForEach(n, d, [&](size_t p) {
    float* r = &t.o[p * d];
    for (size_t i = 0; i < d; ++i) r[i] = Silu(r[i]);
  });
  t.Linear(lw.conv_pw2, t.o.data(), n, t.q.data());
  t.ForEach(n, d, [&](size_t p) {
    ops::Add(&t.x[p * d], &t.q[p * d], d, &t.x[p * d]);
  });
  t.Emit("conv_out", il, t.x.data(), n, d);
}

}  // namespace vigil::audio::internal
