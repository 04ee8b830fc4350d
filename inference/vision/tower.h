// SPDX-License-Identifier: Apache-2.0
// Internal to vigil_mm_vision: the state one `EncodeImage` call works on and
// the encoder blocks of spec §4 as functions over it. Not a public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "inference/kernels/thread_pool.h"
#include "inference/weights/tower_ops.h"
#include "inference/vision/encoder.h"

namespace vigil::mm::internal {

// Activations are row-major, one row per patch.
struct Tower {
  Tower(const VisionConfig& config, const VisionWeights& weights,
        kernels::ThreadPool& thread_pool, const EncodeOptions& options)
      : c(config), w(weights), pool(thread_pool), opt(options) {}

  const VisionConfig& c;
  const VisionWeights& w;
  kernels::ThreadPool& pool;
  const EncodeOptions& opt;
  size_t n = 0;          // patches
  uint32_t gw = 0, gh = 0;

  std::vector<float> x;                // [n, d] residual stream
  std::vector<float> xn;               // [n, d] normed block input
  std::vector<float> q, k, v, o;       // [n, d] attention; q reused as proj
  std::vector<float> gate, up;         // [ffn_rows, n_ff]
  // Per pool thread: one head's packed keys and values and a block of
  // [attn_rows, n] scores (attention.cc).
  std::vector<std::vector<float>> head_scratch;
  // With bf16_attention (F16/BF16 towers on the fast path, CPUs with
  // bfloat16 products): keys and values packed as bfloat16 instead.
  bool bf16_attention = false;
  std::vector<std::vector<uint16_t>> head_bf16;
  std::vector<float> cos_x, sin_x;     // [gw, hd/4] RoPE tables by column
  std::vector<float> cos_y, sin_y;     // [gh, hd/4] by row
  size_t ffn_rows = 0, attn_rows = 0;  // chunk sizes

  // Sizes every buffer for `n` patches.
  void Allocate();
  // The shared row steps (inference/weights/tower_ops.h) on this pool.
  template <typename Fn>
  void ForEach(size_t count, size_t work_per_item, Fn&& fn) const {
    weights::ForEachRow(pool, count, work_per_item, fn);
  }
  void Linear(const ClampedLinear& l, float* x, size_t rows, float* y) const {
    weights::ClampedMatMul(l, x, rows, y, pool, opt.precision);
  }
  void NormRows(const float* in, const float* weight, size_t rows,
                size_t width, float* out) const {
    weights::RmsNormRows(pool, in, weight, rows, width, c.eps, out);
  }
  void Emit(std::string_view name, int layer, const float* data, size_t rows,
            size_t row_len) const {
    if (opt.on_tensor) opt.on_tensor(name, layer, data, rows, row_len);
  }
};

// §4.3: pre-norm, q/k/v, per-head norms, 2D RoPE, attention, output
// projection, post-norm, residual.
void AttentionBlock(Tower& t, int il);
// §4.4: pre-norm, gated MLP, post-norm, residual, layer scalar.
void FeedForwardBlock(Tower& t, int il);

}  // namespace vigil::mm::internal
