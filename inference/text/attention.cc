// SPDX-License-Identifier: Apache-2.0
// The attention block of a decoder layer (spec §3.3, §3.4): QK-normed GQA with
// scale 1.0, NEOX RoPE (proportional on global layers), sliding-window or
// causal mask, KV sharing, output projection and post-norm.
#include <algorithm>
#include <cstring>

#include "inference/kernels/ops.h"
#include "inference/text/forward.h"

namespace vigil::text::internal {
namespace {

namespace ops = vigil::kernels;

// Normalizes (and optionally ropes) every head of `rows` [n, n_heads*D].
// `w` == nullptr is the weightless RMSNorm0 used on V.
void NormHeads(const Pass& p, float* rows, size_t n_heads, size_t dim,
               const float* w) {
  p.ForEach(p.n * n_heads, dim, [&](size_t i, int) {
    float* head = rows + i * dim;
    ops::RmsNorm(head, w, dim, p.cfg.rms_eps, head);
  });
}

void RopeHeads(const Pass& p, const LayerConfig& lc, float* rows,
               size_t n_heads) {
  const bool global = lc.type == AttentionType::kGlobal;
  const size_t half = lc.n_rot / 2;
  const float* cos_t = global ? p.s.cos_glob.data() : p.s.cos_swa.data();
  const float* sin_t = global ? p.s.sin_glob.data() : p.s.sin_swa.data();
  p.ForEach(p.n * n_heads, lc.head_dim, [&](size_t i, int) {
    const size_t t = i / n_heads;
    ops::RopeNeoxApply(rows + i * lc.head_dim, lc.head_dim, lc.n_rot,
                       cos_t + t * half, sin_t + t * half);
  });
}

// Computes k and v of the active rows and stores them in this layer's cache.
void WriteKv(Pass& p, int il) {
  const LayerConfig& lc = p.cfg.layers[il];
  const LayerWeights& lw = p.w.layers[il];
  const size_t kvw = lc.kv_width();
  p.MatMul(lw.attn_k, p.s.xn.data(), p.s.k.data());  // [n, d] -> [n, Hkv*D]
  if (lw.attn_v.data != nullptr) {
    p.MatMul(lw.attn_v, p.s.xn.data(), p.s.v.data());
  } else {  // k = v models: V is the raw K projection (§3.3)
    std::memcpy(p.s.v.data(), p.s.k.data(), p.n * kvw * sizeof(float));
  }
  NormHeads(p, p.s.k.data(), lc.n_head_kv, lc.head_dim, lw.attn_k_norm);
  p.Emit("Kcur_normed", il, p.s.k.data(), kvw);
  RopeHeads(p, lc, p.s.k.data(), lc.n_head_kv);
  p.Emit("Kcur_pos", il, p.s.k.data(), kvw);
  NormHeads(p, p.s.v.data(), lc.n_head_kv, lc.head_dim, nullptr);
  p.Emit("Vcur_normed", il, p.s.v.data(), kvw);
  for (size_t t = 0; t < p.n; ++t) {
    std::memcpy(p.kv.K(il, p.s.pos[t]), p.s.k.data() + t * kvw,
                kvw * sizeof(float));
    std::memcpy(p.kv.V(il, p.s.pos[t]), p.s.v.data() + t * kvw,
                kvw * sizeof(float));
  }
}

// Covers keys lo..lo+n_keys-1 in order by calling `fn(key, j, run)` for each
// stretch key..key+run-1 (wanted keys j..j+run-1) that is contiguous in the
// cache ring of layer `src`; a window wraps the ring at most once.
template <typename Fn>
void ForEachKeyRun(const KvCache& kv, int src, size_t lo, size_t n_keys,
                   Fn&& fn) {
  const size_t slots = kv.capacity(src);
  for (size_t j = 0; j < n_keys;) {
    const size_t run = std::min(n_keys - j, slots - (lo + j) % slots);
    fn(lo + j, j, run);
    j += run;
  }
}

// o_h = softmax(q_h · K_g^T + mask) V_g for every active row and query head,
// reading the cache of layer `src`. One task per (row, head).
void Attend(const Pass& p, const LayerConfig& lc, int src) {
  const size_t dim = lc.head_dim, n_head = lc.n_head;
  const size_t group = lc.n_head / lc.n_head_kv;
  const size_t stride = p.cfg.layers[src].kv_width();
  const size_t max_keys = p.s.scores.size() / p.pool.size();
  const bool sliding = lc.type == AttentionType::kSliding;
  const size_t window = p.cfg.sliding_window;
  const size_t keys = sliding ? window : p.s.pos[p.n - 1] + 1;
  p.ForEach(p.n * n_head, 2 * keys * dim, [&](size_t i, int tid) {
    const size_t t = i / n_head, h = i % n_head, g = h / group;
    const size_t pos = p.s.pos[t];
    // Keys j <= pos (j <= the batch's last position when bidirectional);
    // sliding layers also need pos - j < W.
    const size_t lo = (sliding && pos + 1 > window) ? pos + 1 - window : 0;
    const size_t hi = p.bidirectional ? p.s.pos[p.n - 1] : pos;
    const size_t n_keys = hi - lo + 1;
    VIGIL_CHECK(n_keys <= max_keys);
    float* scores = p.s.scores.data() + static_cast<size_t>(tid) * max_keys;
    const float* q = p.s.q.data() + t * lc.q_width() + h * dim;
    ForEachKeyRun(p.kv, src, lo, n_keys, [&](size_t key, size_t j, size_t run) {
      ops::DotRows(q, p.kv.K(src, key) + g * dim, stride, run, dim,
                   scores + j);  // scale 1
    });
    ops::Softmax(scores, n_keys);
    float* out = p.s.attn.data() + t * lc.q_width() + h * dim;
    std::fill(out, out + dim, 0.0f);
    ForEachKeyRun(p.kv, src, lo, n_keys, [&](size_t key, size_t j, size_t run) {
      ops::AddWeightedRows(scores + j, p.kv.V(src, key) + g * dim, stride, run,
                           dim, out);
    });
  });
}

}  // namespace

void AttentionBlock(Pass& p, int il) {
  const LayerConfig& lc = p.cfg.layers[il];
  const LayerWeights& lw = p.w.layers[il];
  const size_t d = p.cfg.n_embd;
  p.ForRows(d, [&](size_t t, int) {
    ops::RmsNorm(p.s.x.data() + t * d, lw.attn_norm, d, p.cfg.rms_eps,
                 p.s.xn.data() + t * d);
  });
  p.Emit("attn_norm", il, p.s.xn.data(), d);
  // [n, d] -> [n, Hq*D] viewed as [n, Hq, D]
  p.MatMul(lw.attn_q, p.s.xn.data(), p.s.q.data());
  NormHeads(p, p.s.q.data(), lc.n_head, lc.head_dim, lw.attn_q_norm);
  p.Emit("Qcur_normed", il, p.s.q.data(), lc.q_width());
  RopeHeads(p, lc, p.s.q.data(), lc.n_head);
  p.Emit("Qcur_pos", il, p.s.q.data(), lc.q_width());
  if (lc.owns_kv) WriteKv(p, il);
  Attend(p, lc, lc.kv_source);
  p.Emit("kqv_out", il, p.s.attn.data(), lc.q_width());
  p.MatMul(lw.attn_output, p.s.attn.data(), p.s.proj.data());  // -> [n, d]
  p.ForRows(d, [&](size_t t, int) {
    float* o = p.s.proj.data() + t * d;
    ops::RmsNorm(o, lw.post_attention_norm, d, p.cfg.rms_eps, o);
    ops::Add(p.s.x.data() + t * d, o, d, p.s.x.data() + t * d);
  });
  p.Emit("attn_out", il, p.s.x.data(), d);
}

}  // namespace vigil::text::internal
