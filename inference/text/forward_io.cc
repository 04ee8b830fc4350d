// SPDX-License-Identifier: Apache-2.0
// Entry and exit of the forward pass: embeddings and per-layer inputs
// (spec §3.2, §3.6), RoPE tables, row selection and the LM head (§3.5).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "inference/kernels/ops.h"
#include "inference/text/forward.h"

namespace vigil::text::internal {

namespace ops = vigil::kernels;

void Scratch::Allocate(const ModelConfig& c, size_t max_rows, int n_threads,
                       size_t max_keys, bool debug_buffers) {
  rows = max_rows;
  const size_t lp = size_t{c.n_layer} * c.n_embd_per_layer;
  const size_t max_kv = [&] {
    size_t m = 0;
    for (const LayerConfig& l : c.layers) m = std::max<size_t>(m, l.kv_width());
    return m;
  }();
  x.assign(rows * c.n_embd, 0.0f);
  xn.assign(rows * c.n_embd, 0.0f);
  pl.assign(rows * lp, 0.0f);
  q.assign(rows * c.max_q_width(), 0.0f);
  k.assign(rows * max_kv, 0.0f);
  v.assign(rows * max_kv, 0.0f);
  attn.assign(rows * c.max_q_width(), 0.0f);
  proj.assign(rows * c.n_embd, 0.0f);
  gate.assign(rows * c.max_n_ff(), 0.0f);
  up.assign(rows * c.max_n_ff(), 0.0f);
  ple.assign(rows * c.n_embd_per_layer, 0.0f);
  cos_swa.assign(rows * (c.n_rot_swa / 2), 0.0f);
  sin_swa.assign(rows * (c.n_rot_swa / 2), 0.0f);
  cos_glob.assign(rows * (c.n_rot_global / 2), 0.0f);
  sin_glob.assign(rows * (c.n_rot_global / 2), 0.0f);
  pl_tok.assign(static_cast<size_t>(n_threads) * lp, 0.0f);
  scores.assign(static_cast<size_t>(n_threads) * max_keys, 0.0f);
  debug.assign(debug_buffers ? rows * lp : 0, 0.0f);
  pos.assign(rows, 0);
  ids.assign(rows, 0);
}

void EmbedInputs(Pass& p, const int32_t* ids, const float* embd) {
  const ModelConfig& c = p.cfg;
  const size_t d = c.n_embd, np = c.n_embd_per_layer;
  const size_t lp = size_t{c.n_layer} * np;
  const float embd_scale = std::sqrt(static_cast<float>(d));
  p.ForRows(d, [&](size_t t, int) {
    float* x = p.s.x.data() + t * d;
    if (ids != nullptr) {
      ops::DequantizeRow(p.w.token_embd, static_cast<size_t>(ids[t]), x);
      ops::Scale(x, d, embd_scale);
    } else {
      std::memcpy(x, embd + t * d, d * sizeof(float));  // §3.6: not scaled
    }
    p.s.ids[t] = ids != nullptr ? ids[t] : 0;  // soft tokens: PLE row 0
  });
  p.Emit("inp_scaled", -1, p.s.x.data(), d);
  if (lp == 0) return;  // models without per-layer embeddings
  // C = RMSNorm_chunks(W_plmp · x0 / sqrt(d)); T = E_pl[t]·sqrt(P);
  // pl = (C + T) / sqrt(2). [n, d] -> [n, L*P] viewed as [n, L, P].
  p.MatMul(p.w.per_layer_model_proj, p.s.x.data(), p.s.pl.data());
  const float inv_sqrt_d = 1.0f / embd_scale;
  const float tok_scale = std::sqrt(static_cast<float>(np));
  const float inv_sqrt2 = 1.0f / std::sqrt(2.0f);
  const bool debug = !p.s.debug.empty();
  p.ForRows(lp, [&](size_t t, int tid) {
    float* pl = p.s.pl.data() + t * lp;
    ops::Scale(pl, lp, inv_sqrt_d);
    for (size_t l = 0; l < c.n_layer; ++l) {
      ops::RmsNorm(pl + l * np, p.w.per_layer_proj_norm, np, c.rms_eps,
                   pl + l * np);
    }
    float* tok = p.s.pl_tok.data() + static_cast<size_t>(tid) * lp;
    ops::DequantizeRow(p.w.per_layer_token_embd,
                       static_cast<size_t>(p.s.ids[t]), tok);
    ops::Scale(tok, lp, tok_scale);
    if (debug) std::memcpy(p.s.debug.data() + t * lp, tok, lp * sizeof(float));
    ops::Add(pl, tok, lp, pl);
    ops::Scale(pl, lp, inv_sqrt2);
  });
  if (p.on_tensor) {
    p.Emit("inp_per_layer_selected", -1, p.s.debug.data(), lp);
    // Recover C = pl·sqrt(2) - T for the dump only.
    for (size_t i = 0; i < p.n * lp; ++i) {
      p.s.debug[i] = p.s.pl[i] * std::sqrt(2.0f) - p.s.debug[i];
    }
    p.Emit("per_layer_proj", -1, p.s.debug.data(), lp);
    p.Emit("inp_per_layer", -1, p.s.pl.data(), lp);
  }
}

void RopeTables(Pass& p) {
  const ModelConfig& c = p.cfg;
  const size_t hs = c.n_rot_swa / 2, hg = c.n_rot_global / 2;
  p.ForRows(16 * (hs + hg), [&](size_t t, int) {
    ops::RopeAngles(p.s.pos[t], c.rope_base_swa, c.n_rot_swa, nullptr,
                    p.s.cos_swa.data() + t * hs, p.s.sin_swa.data() + t * hs);
    ops::RopeAngles(p.s.pos[t], c.rope_base_global, c.n_rot_global,
                    p.w.rope_freqs, p.s.cos_glob.data() + t * hg,
                    p.s.sin_glob.data() + t * hg);
  });
}

void KeepLastRow(Pass& p) {
  if (p.n <= 1) return;
  const size_t last = p.n - 1;
  const size_t d = p.cfg.n_embd;
  const size_t lp = size_t{p.cfg.n_layer} * p.cfg.n_embd_per_layer;
  std::memmove(p.s.x.data(), p.s.x.data() + last * d, d * sizeof(float));
  std::memmove(p.s.pl.data(), p.s.pl.data() + last * lp, lp * sizeof(float));
  p.s.pos[0] = p.s.pos[last];
  p.s.ids[0] = p.s.ids[last];
  p.n = 1;
  RopeTables(p);
}

void OutputLogits(Pass& p, float* logits) {
  const ModelConfig& c = p.cfg;
  const size_t d = c.n_embd;
  p.ForRows(d, [&](size_t t, int) {
    ops::RmsNorm(p.s.x.data() + t * d, p.w.output_norm, d, c.rms_eps,
                 p.s.xn.data() + t * d);
  });
  p.Emit("result_norm", -1, p.s.xn.data(), d);
  p.MatMul(p.w.token_embd, p.s.xn.data(), logits);  // tied head, [n, V]
  if (c.final_logit_softcap > 0.0f) {
    p.ForRows(c.n_vocab, [&](size_t t, int) {
      ops::SoftCap(logits + t * c.n_vocab, c.n_vocab, c.final_logit_softcap);
    });
  }
}

}  // namespace vigil::text::internal
