// SPDX-License-Identifier: Apache-2.0
// EncodeImage: patch embedding (§4.1), the encoder layers (§4.2), 3x3 average
// pooling (§4.5) and the projector into the LM space (§4.6).
#include "inference/vision/encoder.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "inference/kernels/matmul_gemm.h"
#include "inference/kernels/ops.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/vision/tower.h"

namespace vigil::mm {
namespace internal {

namespace ops = vigil::kernels;

namespace {
// Rows per chunk of the [rows, n_ff] FFN buffers, and floats in one block
// of [rows, n] attention scores: 1 MiB, so a block stays in L2 between the
// two products and the softmax.
constexpr size_t kFfnRows = 512;
constexpr size_t kScoreFloats = size_t{1} << 18;

size_t AttnRows(size_t n) {
  const size_t rows = std::max<size_t>(kScoreFloats / n / 6 * 6, 6);
  return std::min(rows, n);
}
}  // namespace

void Tower::Allocate() {
  const size_t d = c.n_embd, hd = c.head_dim;
  ffn_rows = std::min(n, kFfnRows);
  attn_rows = AttnRows(n);
  for (auto* b : {&x, &xn, &q, &k, &v, &o}) b->assign(n * d, 0.0f);
  gate.assign(ffn_rows * c.n_ff, 0.0f);
  up.assign(ffn_rows * c.n_ff, 0.0f);
  const size_t threads = static_cast<size_t>(pool.size());
  head_scratch.resize(threads);
  if (bf16_attention) {
    head_bf16.resize(threads);
    for (auto& s : head_bf16) {
      s.assign(kernels::GemmPackedBf16s(n, hd) + kernels::GemmPackedBf16s(hd, n), 0);
    }
    for (auto& s : head_scratch) s.assign(attn_rows * n, 0.0f);
  } else {
    const size_t head_floats = kernels::GemmPackedFloats(n, hd) +
                               kernels::GemmPackedFloats(hd, n) + attn_rows * n;
    for (auto& s : head_scratch) s.assign(head_floats, 0.0f);
  }
  // Both halves use the same hd/4 frequencies, theta 100 (spec §4.3).
  const size_t quarter = hd / 4;
  auto tables = [&](size_t count, std::vector<float>* cs,
                    std::vector<float>* sn) {
    cs->assign(count * quarter, 0.0f);
    sn->assign(count * quarter, 0.0f);
    for (size_t i = 0; i < count; ++i) {
      ops::RopeAngles(i, c.rope_theta, hd / 2, nullptr, cs->data() + i * quarter,
                      sn->data() + i * quarter);
    }
  };
  tables(gw, &cos_x, &sin_x);
  tables(gh, &cos_y, &sin_y);
}

namespace {

float RoundF16(float x) { return ops::F16ToF32(ops::F32ToF16(x)); }

// §4.1: e_p = W_pe (2v - 1) with the input rounded to fp16 like llama.cpp's
// fp16 im2col (ref/README.md note 5), plus both position tables.
void PatchEmbed(Tower& t, std::span<const float> pixels) {
  const size_t d = t.c.n_embd, k = 3 * t.c.patch_size * t.c.patch_size;
  std::vector<float> u(pixels.size());
  t.ForEach(t.n, k, [&](size_t p) {
    for (size_t i = p * k; i < (p + 1) * k; ++i) {
      u[i] = RoundF16(2.0f * pixels[i] - 1.0f);
    }
  });
  const kernels::WeightMatrix kernel{.type = gguf::GgmlType::kF32,
                                     .data = t.w.patch_embd.data(),
                                     .rows = d,
                                     .cols = k,
                                     .row_bytes = k * sizeof(float)};
  kernels::MatMul(kernel, u.data(), t.n, t.x.data(), t.pool,
                  kernels::MatMulPrecision::kFloat32);
  t.Emit("inp", -1, t.x.data(), t.n, d);
  const float* tab_x = t.w.position_embd.data();
  const float* tab_y = tab_x + size_t{t.c.n_pos} * d;
  t.ForEach(t.n, d, [&](size_t p) {
    float* row = &t.x[p * d];
    ops::Add(row, tab_x + (p % t.gw) * d, d, row);
    ops::Add(row, tab_y + (p / t.gw) * d, d, row);
  });
  t.Emit("pos_embd", -1, t.x.data(), t.n, d);
}

// §4.5: non-overlapping k x k mean (sum in row-then-column order, then one
// divide, as ggml's pool_2d), times sqrt(d), then the optional standardize.
std::vector<float> Pool(const Tower& t) {
  const size_t d = t.c.n_embd, k = t.c.pool;
  const size_t ow = t.gw / k, oh = t.gh / k;
  std::vector<float> pooled(ow * oh * d, 0.0f);
  const float inv = 1.0f / static_cast<float>(k * k);
  const float scale = std::sqrt(static_cast<float>(d));
  t.ForEach(ow * oh, d * k * k, [&](size_t tok) {
    const size_t r = tok / ow, col = tok % ow;
    float* out = &pooled[tok * d];
    for (size_t i = 0; i < d; ++i) {
      float sum = 0.0f;
      for (size_t ky = 0; ky < k; ++ky) {
        const size_t row = (r * k + ky) * t.gw + col * k;
        for (size_t kx = 0; kx < k; ++kx) sum += t.x[(row + kx) * d + i];
      }
      out[i] = sum * inv * scale;
    }
  });
  t.Emit("pooled", -1, pooled.data(), ow * oh, d);
  if (t.w.std_bias != nullptr) {
    for (size_t tok = 0; tok < ow * oh; ++tok) {
      float* row = &pooled[tok * d];
      for (size_t i = 0; i < d; ++i) {
        row[i] = (row[i] - t.w.std_bias[i]) * t.w.std_scale[i];
      }
    }
    t.Emit("std_scaled", -1, pooled.data(), ow * oh, d);
  }
  return pooled;
}

}  // namespace
}  // namespace internal

size_t EncodeScratchBytes(const VisionConfig& c, size_t n) {
  const size_t ffn_rows = std::min<size_t>(n, internal::kFfnRows);
  // Per thread (counted for 4): packed keys and values (padded to 32
  // rows) and one block of scores.
  const size_t head =
      2 * (n + 32) * c.head_dim + internal::kScoreFloats + 6 * n;
  const size_t floats = 7 * n * c.n_embd + 2 * ffn_rows * c.n_ff + 4 * head;
  return floats * sizeof(float);
}

namespace {

Status CheckGrid(const VisionConfig& c, const PatchGrid& g) {
  const uint64_t k = 3ull * c.patch_size * c.patch_size;
  if (g.grid_w == 0 || g.grid_h == 0 || g.grid_w % c.pool != 0 ||
      g.grid_h % c.pool != 0) {
    return InvalidArgument("patch grid " + std::to_string(g.grid_w) + "x" +
                           std::to_string(g.grid_h) +
                           " must be non-empty multiples of the pooling "
                           "kernel " + std::to_string(c.pool));
  }
  if (g.grid_w > c.n_pos || g.grid_h > c.n_pos) {
    return InvalidArgument("patch grid " + std::to_string(g.grid_w) + "x" +
                           std::to_string(g.grid_h) + " exceeds the " +
                           std::to_string(c.n_pos) +
                           "-entry position tables; use a smaller budget");
  }
  const uint64_t want = uint64_t{g.grid_w} * g.grid_h * k;
  if (g.data.size() != want) {
    return InvalidArgument("patch data holds " +
                           std::to_string(g.data.size()) + " floats, need " +
                           std::to_string(want));
  }
  return OkStatus();
}

}  // namespace

Result<SoftTokens> EncodeImage(const VisionModel& model, const PatchGrid& grid,
                               kernels::ThreadPool& pool,
                               const EncodeOptions& options) {
  const VisionConfig& c = model.config();
  VIGIL_RETURN_IF_ERROR(CheckGrid(c, grid));
  internal::Tower t(c, model.weights(), pool, options);
  // Half-precision towers on the fast path take bfloat16 products in
  // attention too, as their linears do (kernels::GemmProducts).
  const gguf::GgmlType wt = model.weights().layers.at(0).attn_q.w.type;
  t.bf16_attention =
      options.precision == kernels::MatMulPrecision::kQuantizedActivations &&
      (wt == gguf::GgmlType::kF16 || wt == gguf::GgmlType::kBF16) &&
      kernels::HasBf16Products();
  t.gw = grid.grid_w;
  t.gh = grid.grid_h;
  t.n = size_t{t.gw} * t.gh;
  t.Allocate();
  internal::PatchEmbed(t, grid.data);
  for (uint32_t il = 0; il < c.n_layer; ++il) {
    internal::AttentionBlock(t, static_cast<int>(il));
    internal::FeedForwardBlock(t, static_cast<int>(il));
  }
  std::vector<float> pooled = internal::Pool(t);
  const size_t n_tok = pooled.size() / c.n_embd;
  // §4.6: weightless RMSNorm first, then the (clamped) projection.
  t.NormRows(pooled.data(), nullptr, n_tok, c.n_embd, pooled.data());
  SoftTokens out{.n_tokens = n_tok, .n_embd = c.projection_dim, .data = {}};
  out.data.assign(n_tok * c.projection_dim, 0.0f);
  t.Linear(model.weights().input_projection, pooled.data(), n_tok,
           out.data.data());
  t.Emit("projected", -1, out.data.data(), n_tok, c.projection_dim);
  return out;
}

}  // namespace vigil::mm
