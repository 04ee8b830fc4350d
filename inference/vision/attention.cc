// SPDX-License-Identifier: Apache-2.0
// The vision attention block (spec §4.3): full bidirectional MHA over all
// patches with QK RMS norms, weightless V norm, 2D NEOX RoPE (column on the
// first half of each head, row on the second) and scale 1.0. Heads run in
// parallel; scores are materialised one cache-sized block of queries at a
// time, between two GEMMs over the head's packed keys and values.
#include <algorithm>

#include "inference/kernels/matmul_gemm.h"
#include "inference/kernels/ops.h"
#include "inference/vision/tower.h"

namespace vigil::mm::internal {
namespace {

namespace ops = vigil::kernels;

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

// o[:, h] = softmax(q_h k_h^T) v_h for head `h`, on the calling thread.
// Keys and values are packed once per head; queries go in blocks of
// attn_rows so each block of scores stays in cache for softmax and V.
void AttendHead(Tower& t, size_t h, float* scratch) {
  const size_t n = t.n, d = t.c.n_embd, hd = t.c.head_dim;
  float* keys = scratch;  // n rows of hd
  float* values = keys + kernels::GemmPackedFloats(n, hd);  // hd rows of n
  float* scores = values + kernels::GemmPackedFloats(hd, n);
  kernels::PackGemm(&t.k[h * hd], d, 1, n, hd, keys);
  kernels::PackGemm(&t.v[h * hd], 1, d, hd, n, values);
  for (size_t b = 0; b < n; b += t.attn_rows) {
    const size_t m = std::min(t.attn_rows, n - b);
    // [m, hd] x [n, hd]^T -> [m, n]; scale 1.0 (the QK norms replace it)
    kernels::PackedGemm({.packed = keys, .rows = n, .cols = hd,
                         .x = &t.q[b * d + h * hd], .x_stride = d,
                         .n_tokens = m, .y = scores, .y_stride = n});
    for (size_t r = 0; r < m; ++r) ops::Softmax(&scores[r * n], n);
    // [m, n] x [hd, n]^T -> [m, hd], straight into head h's columns of o
    kernels::PackedGemm({.packed = values, .rows = hd, .cols = n,
                         .x = scores, .x_stride = n, .n_tokens = m,
                         .y = &t.o[b * d + h * hd], .y_stride = d});
  }
}

// AttendHead with bfloat16 keys, values and products.
void AttendHeadBf16(Tower& t, size_t h, uint16_t* packed, float* scores) {
  const size_t n = t.n, d = t.c.n_embd, hd = t.c.head_dim;
  uint16_t* keys = packed;  // n rows of hd
  uint16_t* values = keys + kernels::GemmPackedBf16s(n, hd);  // hd rows of n
  kernels::PackGemmBf16(&t.k[h * hd], d, 1, n, hd, keys);
  kernels::PackGemmBf16(&t.v[h * hd], 1, d, hd, n, values);
  for (size_t b = 0; b < n; b += t.attn_rows) {
    const size_t m = std::min(t.attn_rows, n - b);
    kernels::PackedGemmBf16({.packed = keys, .rows = n, .cols = hd,
                             .x = &t.q[b * d + h * hd], .x_stride = d,
                             .n_tokens = m, .y = scores, .y_stride = n});
    for (size_t r = 0; r < m; ++r) ops::Softmax(&scores[r * n], n);
    kernels::PackedGemmBf16({.packed = values, .rows = hd, .cols = n,
                             .x = scores, .x_stride = n, .n_tokens = m,
                             .y = &t.o[b * d + h * hd], .y_stride = d});
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
  // Heads are independent: one per thread at a time.
  t.pool.ParallelFor(t.c.n_head, 1, [&](size_t b, size_t e, int thread) {
    const auto i = static_cast<size_t>(thread);
    for (size_t h = b; h < e; ++h) {
      if (t.bf16_attention) {
        AttendHeadBf16(t, h, t.head_bf16[i].data(), t.head_scratch[i].data());
      } else {
        AttendHead(t, h, t.head_scratch[i].data());
      }
    }
  });
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
