// SPDX-License-Identifier: Apache-2.0
// The vision attention block (spec §4.3): full bidirectional MHA over all
// patches with QK RMS norms, weightless V norm, 2D NEOX RoPE (column on the
// first half of each head, row on the second) and scale 1.0. Scores are
// materialised one chunk of queries at a time, as two batched matmuls.
#include <algorithm>
#include <cstring>

#include "inference/kernels/ops.h"
#include "inference/vision/tower.h"

namespace vigil::mm::internal {
namespace {

namespace ops = vigil::kernels;
using kernels::MatMulPrecision;
using kernels::WeightMatrix;

// Per-head RMSNorm (weight may be nullptr) and, with `rope`, the 2D RoPE.
void NormAndRope(const Tower& t, float* rows, const float* weight, bool rope) {
  const size_t hd = t.c.head_dim, half = hd / 2, quarter = hd / 4;
  const size_t heads = t.c.n_head;
  t.ForEach(t.n, t.c.n_embd, [&](size_t p) {
    const size_t px = p % t.gw, py = p / t.gw;
    for (size_t h = 0; h < heads; ++h) {
      float* head = rows + p * t.c.n_embd + h * hd;
      ops::RmsNorm(head, weight, hd, t.c.eps, head);
      if (!rope) continue;
      // [hd] = [hd/2 rotated by column | hd/2 rotated by row]
      ops::RopeNeoxApply(head, half, half, t.cos_x.data() + px * quarter,
                         t.sin_x.data() + px * quarter);
      ops::RopeNeoxApply(head + half, half, half, t.cos_y.data() + py * quarter,
                         t.sin_y.data() + py * quarter);
    }
  });
}

// o[:, h] = softmax(q_h k_h^T) v_h for head `h`.
void AttendHead(Tower& t, size_t h) {
  const size_t n = t.n, d = t.c.n_embd, hd = t.c.head_dim;
  // [n, d] -> [n, hd] for q and k, [hd, n] for v (the second matmul's rows).
  for (size_t p = 0; p < n; ++p) {
    const size_t src = p * d + h * hd;
    std::memcpy(&t.qh[p * hd], &t.q[src], hd * sizeof(float));
    std::memcpy(&t.kh[p * hd], &t.k[src], hd * sizeof(float));
    for (size_t j = 0; j < hd; ++j) t.vt[j * n + p] = t.v[src + j];
  }
  const WeightMatrix keys{.type = gguf::GgmlType::kF32, .data = t.kh.data(),
                          .rows = n, .cols = hd, .row_bytes = hd * 4};
  const WeightMatrix values{.type = gguf::GgmlType::kF32, .data = t.vt.data(),
                            .rows = hd, .cols = n, .row_bytes = n * 4};
  for (size_t b = 0; b < n; b += t.attn_rows) {
    const size_t m = std::min(t.attn_rows, n - b);
    // [m, hd] x [n, hd]^T -> [m, n]; scale 1.0 (the QK norms replace it)
    kernels::MatMul(keys, &t.qh[b * hd], m, t.scores.data(), t.pool,
                    MatMulPrecision::kFloat32);
    t.ForEach(m, n, [&](size_t r) { ops::Softmax(&t.scores[r * n], n); });
    // [m, n] x [hd, n]^T -> [m, hd]
    kernels::MatMul(values, t.scores.data(), m, &t.oh[b * hd], t.pool,
                    MatMulPrecision::kFloat32);
  }
  for (size_t p = 0; p < n; ++p) {
    std::memcpy(&t.o[p * d + h * hd], &t.oh[p * hd], hd * sizeof(float));
  }
}

}  // namespace

void AttentionBlock(Tower& t, int il) {
  const VisionLayerWeights& lw = t.w.layers[il];
  const size_t n = t.n, d = t.c.n_embd;
  t.NormRows(t.x.data(), lw.ln1, n, d, t.xn.data());
  // Execution order q, k, v matters for the in-place input clamps.
  t.Linear(lw.attn_q, t.xn.data(), n, t.q.data());
  t.Linear(lw.attn_k, t.xn.data(), n, t.k.data());
  t.Linear(lw.attn_v, t.xn.data(), n, t.v.data());
  NormAndRope(t, t.q.data(), lw.attn_q_norm, true);
  NormAndRope(t, t.k.data(), lw.attn_k_norm, true);
  NormAndRope(t, t.v.data(), nullptr, false);
  t.Emit("Qcur_pos", il, t.q.data(), n, d);
  t.Emit("Kcur_pos", il, t.k.data(), n, d);
  t.Emit("Vcur_normed", il, t.v.data(), n, d);
  for (size_t h = 0; h < t.c.n_head; ++h) AttendHead(t, h);
  float* proj = t.q.data();  // q is dead now
  t.Linear(lw.attn_out, t.o.data(), n, proj);
  t.Emit("attn_out", il, proj, n, d);
  t.NormRows(proj, lw.attn_post_norm, n, d, proj);
  t.ForEach(n, d, [&](size_t p) {
    ops::Add(&t.x[p * d], &proj[p * d], d, &t.x[p * d]);
  });
  t.Emit("ffn_inp", il, t.x.data(), n, d);
}

}  // namespace vigil::mm::internal
