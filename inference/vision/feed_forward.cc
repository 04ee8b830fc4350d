// SPDX-License-Identifier: Apache-2.0
// The vision MLP block (spec §4.4): down(act(gate(y)) * up(y)) with clamped
// linears, GELU-quick (llama.cpp default for files without clip.use_gelu) or
// GELU-tanh, sandwich norms, then the optional layer scalar. Runs over row
// chunks so the [rows, n_ff] buffers stay small.
#include <algorithm>
#include <cmath>

#include "inference/kernels/ops.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/vision/tower.h"

namespace vigil::mm::internal {
namespace {

namespace ops = vigil::kernels;

float RoundF16(float x) { return ops::F16ToF32(ops::F32ToF16(x)); }

// x * sigmoid(1.702 x), written as ggml writes it so float rounding agrees.
float GeluQuick(float x) { return x * (1.0f / (1.0f + std::exp(-1.702f * x))); }

// With `table`, emulates ggml's fp16 lookup: the input is rounded to fp16 and
// the stored result is the fp16 rounding of the float32 function value.
float Activate(VisionActivation act, bool table, float x) {
  if (table) x = RoundF16(x);
  float y = act == VisionActivation::kGeluQuick ? GeluQuick(x)
                                                : ops::GeluTanh(x);
  if (table && act == VisionActivation::kGeluTanh) {
    // ggml's tanh table saturates: <= -10 gives 0, >= 10 gives x.
    if (x <= -10.0f) y = 0.0f;
    if (x >= 10.0f) y = x;
  }
  return table ? RoundF16(y) : y;
}

}  // namespace

void FeedForwardBlock(Tower& t, int il) {
  const VisionLayerWeights& lw = t.w.layers[il];
  const size_t n = t.n, d = t.c.n_embd, ff = t.c.n_ff;
  t.NormRows(t.x.data(), lw.ln2, n, d, t.xn.data());
  float* out = t.q.data();  // [n, d] FFN output
  for (size_t b = 0; b < n; b += t.ffn_rows) {
    const size_t m = std::min(t.ffn_rows, n - b);
    // Gate runs before up: its in-place input clamp reaches up's input.
    t.Linear(lw.ffn_gate, &t.xn[b * d], m, t.gate.data());
    t.Linear(lw.ffn_up, &t.xn[b * d], m, t.up.data());
    t.ForEach(m, ff, [&](size_t r) {
      float* g = &t.gate[r * ff];
      const float* u = &t.up[r * ff];
      for (size_t i = 0; i < ff; ++i) {
        g[i] = Activate(t.c.activation, t.opt.gelu_fp16_table, g[i]) * u[i];
      }
    });
    t.Linear(lw.ffn_down, t.gate.data(), m, &out[b * d]);
  }
  t.Emit("ffn_out", il, out, n, d);
  t.NormRows(out, lw.ffn_post_norm, n, d, out);
  const float scale = lw.out_scale;
  t.ForEach(n, d, [&](size_t p) {
    float* x = &t.x[p * d];
    ops::Add(x, &out[p * d], d, x);
    if (scale != 1.0f) ops::Scale(x, d, scale);
  });
  t.Emit("layer_out_scaled", il, t.x.data(), n, d);
}

}  // namespace vigil::mm::internal
