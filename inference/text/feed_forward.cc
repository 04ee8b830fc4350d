// SPDX-License-Identifier: Apache-2.0
// The two blocks after attention (spec §3.3): the gated GELU MLP and the
// per-layer-embedding branch, which ends with the layer scalar.
#include "inference/kernels/ops.h"
#include "inference/text/forward.h"

namespace vigil::text::internal {

namespace ops = vigil::kernels;

void FeedForwardBlock(Pass& p, int il) {
  const LayerConfig& lc = p.cfg.layers[il];
  const LayerWeights& lw = p.w.layers[il];
  const size_t d = p.cfg.n_embd, n_ff = lc.n_ff;
  p.ForRows(d, [&](size_t t, int) {
    ops::RmsNorm(p.s.x.data() + t * d, lw.ffn_norm, d, p.cfg.rms_eps,
                 p.s.xn.data() + t * d);
  });
  p.MatMul(lw.ffn_gate, p.s.xn.data(), p.s.gate.data());  // [n, d]->[n, ff]
  p.MatMul(lw.ffn_up, p.s.xn.data(), p.s.up.data());
  p.ForRows(n_ff, [&](size_t t, int) {
    float* g = p.s.gate.data() + t * n_ff;
    ops::GeluMul(g, p.s.up.data() + t * n_ff, n_ff, g);
  });
  p.MatMul(lw.ffn_down, p.s.gate.data(), p.s.proj.data());  // -> [n, d]
  p.Emit("ffn_out", il, p.s.proj.data(), d);
  p.ForRows(d, [&](size_t t, int) {
    float* f = p.s.proj.data() + t * d;
    ops::RmsNorm(f, lw.post_ffw_norm, d, p.cfg.rms_eps, f);
    ops::Add(p.s.x.data() + t * d, f, d, p.s.x.data() + t * d);
  });
  p.Emit("pe_in", il, p.s.x.data(), d);
}

void PerLayerEmbeddingBlock(Pass& p, int il) {
  const LayerWeights& lw = p.w.layers[il];
  const size_t d = p.cfg.n_embd, np = p.cfg.n_embd_per_layer;
  const size_t lp = size_t{p.cfg.n_layer} * np;
  if (np > 0) {
    // g = gelu(W_inp_gate · h2) ⊙ pl_l; u = RMSNorm(W_proj · g; post_norm)
    p.MatMul(lw.inp_gate, p.s.x.data(), p.s.ple.data());  // [n, d]->[n, P]
    p.ForRows(np, [&](size_t t, int) {
      float* g = p.s.ple.data() + t * np;
      ops::GeluTanh(g, np, g);
      ops::Mul(g, p.s.pl.data() + t * lp + il * np, np, g);
    });
    p.MatMul(lw.proj, p.s.ple.data(), p.s.proj.data());  // [n, P]->[n, d]
    p.ForRows(d, [&](size_t t, int) {
      float* u = p.s.proj.data() + t * d;
      ops::RmsNorm(u, lw.post_norm, d, p.cfg.rms_eps, u);
    });
    p.Emit("per_layer_embd_out", il, p.s.proj.data(), d);
  }
  p.ForRows(d, [&](size_t t, int) {
    float* x = p.s.x.data() + t * d;
    if (np > 0) ops::Add(x, p.s.proj.data() + t * d, d, x);
    ops::Scale(x, d, lw.layer_output_scale);  // the whole stream (§6.7)
  });
  p.Emit("l_out", il, p.s.x.data(), d);
}

}  // namespace vigil::text::internal
