// SPDX-License-Identifier: Apache-2.0
// The vision attention block (spec §4.3): full bidirectional MHA over all
// patches with QK RMS norms, weightless V norm, 2D NEOX RoPE (column on the
// first half of each head, row on the second) and scale 1.0. Heads run in
// parallel; scores are materialised one cache-sized block of queries at a
// time, between two GEMMs over the head's packed keys and values.
#include <algorithm>
#include <cstdint>

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

// A head's keys ([n, hd]) or values ([hd, n]) packed once, as float32 or,
// with bf16_attention, bfloat16 (kernels::PackGemmBf16).
struct PackedOperand {
  const float* f32 = nullptr;
  const uint16_t* bf16 = nullptr;
  size_t rows = 0, cols = 0;

  // y[t * ys + r] = <row r, x[t * xs ...]> for t < m.
  void Times(const float* x, size_t xs, size_t m, float* y, size_t ys) const {
    if (bf16 != nullptr) {
      kernels::PackedGemmBf16({.packed = bf16, .rows = rows, .cols = cols,
                               .x = x, .x_stride = xs, .n_tokens = m, .y = y,
                               .y_stride = ys});
    } else {
      kernels::PackedGemm({.packed = f32, .rows = rows, .cols = cols, .x = x,
                           .x_stride = xs, .n_tokens = m, .y = y,
                           .y_stride = ys});
    }
  }
};

// Packs element (r, k) = src[r * rs + k * cs] of a rows x cols matrix at
// `*f32` or `*bf16` (whichever the tower uses), advancing that cursor.
PackedOperand Pack(const Tower& t, const float* src, size_t rs, size_t cs,
                   size_t rows, size_t cols, float** f32, uint16_t** bf16) {
  PackedOperand p{.rows = rows, .cols = cols};
  if (t.bf16_attention) {
    kernels::PackGemmBf16(src, rs, cs, rows, cols, *bf16);
    p.bf16 = *bf16;
    *bf16 += kernels::GemmPackedBf16s(rows, cols);
  } else {
    kernels::PackGemm(src, rs, cs, rows, cols, *f32);
    p.f32 = *f32;
    *f32 += kernels::GemmPackedFloats(rows, cols);
  }
  return p;
}

// o[:, h] = softmax(q_h k_h^T) v_h for head `h`, on the calling thread
// (pool thread `i`'s scratch). Keys and values are packed once per head;
// queries go in blocks of attn_rows so each block of scores stays in cache
// for softmax and V.
void AttendHead(Tower& t, size_t h, size_t i) {
  const size_t n = t.n, d = t.c.n_embd, hd = t.c.head_dim;
  float* f32 = t.head_scratch[i].data();
  uint16_t* bf16 = t.bf16_attention ? t.head_bf16[i].data() : nullptr;
  const PackedOperand keys = Pack(t, &t.k[h * hd], d, 1, n, hd, &f32, &bf16);
  const PackedOperand values = Pack(t, &t.v[h * hd], 1, d, hd, n, &f32, &bf16);
  float* scores = f32;  // [attn_rows, n] after any float32 operands
  for (size_t b = 0; b < n; b += t.attn_rows) {
    const size_t m = std::min(t.attn_rows, n - b);
    // [m, hd] x [n, hd]^T -> [m, n]; scale 1.0 (the QK norms replace it)
    keys.Times(&t.q[b * d + h * hd], d, m, scores, n);
    for (size_t r = 0; r < m; ++r) ops::Softmax(&scores[r * n], n);
    // [m, n] x [hd, n]^T -> [m, hd], straight into head h's columns of o
    values.Times(scores, n, m, &t.o[b * d + h * hd], d);
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
    for (size_t h = b; h < e; ++h) AttendHead(t, h, static_cast<size_t>(thread));
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
