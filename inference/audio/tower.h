// SPDX-License-Identifier: Apache-2.0
// Internal to vigil_mm_audio: the state one `EncodeMel` call works on and the
// encoder stages of spec §7 as functions over it. Not a public API.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "inference/audio/encoder.h"
#include "inference/kernels/thread_pool.h"
#include "inference/weights/tower_ops.h"

namespace vigil::audio::internal {

// Activations are row-major, one row per time step (soft token).
struct Tower {
  Tower(const AudioConfig& config, const AudioWeights& weights,
        kernels::ThreadPool& thread_pool, const AudioEncodeOptions& options)
      : c(config), w(weights), pool(thread_pool), opt(options) {}

  const AudioConfig& c;
  const AudioWeights& w;
  kernels::ThreadPool& pool;
  const AudioEncodeOptions& opt;
  size_t n = 0;  // time steps after subsampling

  std::vector<float> x, xn, q, k, v, o;  // [n, d]
  std::vector<float> wide;               // [n, 2d] conv GLU input
  std::vector<float> ff;                 // [ffn_rows, n_ff]
  std::vector<float> rel;                // [chunk, d] position keys r_delta
  std::vector<float> pe;                 // [chunk, d] sinusoid table
  size_t ffn_rows = 0;

  // Sizes every buffer for `n` time steps and fills the sinusoid table.
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

// §7.1: two (conv 3x3/2 -> LayerNorm -> ReLU), flatten, input projection.
// Fills `t.x` ([n, d]); `t.n` must already be set from the frame count.
void Subsample(Tower& t, const MelFeatures& mel);
// §7.2 step 1 or 4: x += 0.5 * post_norm(down(SiLU(up(pre_norm(x))))).
void FeedForwardBlock(Tower& t, int il, bool second);
// §7.3: local relative-position attention with its norms and residual.
void AttentionBlock(Tower& t, int il);
// §7.2 step 3: the light-conv module and its residual.
void LightConvBlock(Tower& t, int il);

}  // namespace vigil::audio::internal
