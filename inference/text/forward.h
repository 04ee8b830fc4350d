// SPDX-License-Identifier: Apache-2.0
// Internal to vigil_text: the state one micro-batch of the forward pass works
// on, and the blocks of spec §3 as free functions over it. Not a public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/config.h"
#include "inference/text/gemma4.h"
#include "inference/text/kv_cache.h"
#include "inference/text/weights.h"

namespace vigil::text::internal {

// Buffers for up to `rows` tokens, allocated once per session. Activations
// are row-major: one row per token.
struct Scratch {
  size_t rows = 0;
  std::vector<float> x;      // [rows, d]      residual stream h
  std::vector<float> xn;     // [rows, d]      normed input of a block
  std::vector<float> pl;     // [rows, L*P]    per-layer inputs (§3.2)
  std::vector<float> q;      // [rows, Hq*D]
  std::vector<float> k, v;   // [rows, Hkv*D]
  std::vector<float> attn;   // [rows, Hq*D]   attention output per head
  std::vector<float> proj;   // [rows, d]      output of a block's last matmul
  std::vector<float> gate;   // [rows, n_ff]
  std::vector<float> up;     // [rows, n_ff]
  std::vector<float> ple;    // [rows, P]
  std::vector<float> cos_swa, sin_swa;    // [rows, n_rot_swa/2]
  std::vector<float> cos_glob, sin_glob;  // [rows, n_rot_global/2]
  std::vector<float> pl_tok;  // [threads, L*P] token part of the PLE
  std::vector<float> scores;  // [threads, max keys] attention scores
  std::vector<float> debug;   // [rows, L*P] only with a tensor callback
  std::vector<size_t> pos;    // [rows] absolute positions
  std::vector<int32_t> ids;   // [rows] PLE row per token (0: soft token)

  void Allocate(const ModelConfig& config, size_t max_rows, int n_threads,
                size_t max_keys, bool debug_buffers);
};

// What the blocks of one micro-batch share. `n` is the number of active rows
// (it shrinks when only the last position's logits are needed).
struct Pass {
  const ModelConfig& cfg;
  const ModelWeights& w;
  kernels::ThreadPool& pool;
  kernels::MatMulPrecision precision;
  const TensorCallback& on_tensor;
  KvCache& kv;
  Scratch& s;
  size_t n = 0;
  bool bidirectional = false;  // Batch::bidirectional

  // y = W x for the n active rows.
  void MatMul(const WeightMatrix& m, const float* x, float* y) const {
    kernels::MatMul(m, x, n, y, pool, precision);
  }
  // Calls fn(t, thread) for every active row; `work` is roughly the floats
  // touched per row. Small loops run inline: waking workers costs more than
  // a decode step's elementwise work.
  template <typename Fn>
  void ForRows(size_t work, Fn&& fn) const {
    ForEach(n, work, fn);
  }
  template <typename Fn>
  void ForEach(size_t count, size_t work, Fn&& fn) const {
    if (count <= 1 || count * work < kMinParallelWork || pool.size() == 1) {
      for (size_t i = 0; i < count; ++i) fn(i, 0);
      return;
    }
    pool.ParallelFor(count, 1, [&](size_t b, size_t e, int tid) {
      for (size_t i = b; i < e; ++i) fn(i, tid);
    });
  }
  static constexpr size_t kMinParallelWork = size_t{1} << 16;
  // Hands `n` rows of `row_len` floats to the debug callback, if any.
  void Emit(std::string_view name, int layer, const float* data,
            size_t row_len) const {
    if (on_tensor) on_tensor(name, layer, data, n, row_len);
  }
};

// §3.2: h = E[t]·sqrt(d) (or the soft-token vector) into `s.x`, and the
// per-layer inputs into `s.pl`. `ids`/`embd` point at this micro-batch.
void EmbedInputs(Pass& p, const int32_t* ids, const float* embd);
// Fills the cos/sin tables of both layer types for the active rows.
void RopeTables(Pass& p);
// §3.3/§3.4: pre-norm, q/k/v, QK norms, RoPE, KV write, attention, output
// projection, post-norm, residual.
void AttentionBlock(Pass& p, int il);
// §3.3: pre-norm, gated GELU MLP, post-norm, residual.
void FeedForwardBlock(Pass& p, int il);
// §3.3: PLE branch, residual, then the layer scalar on the whole stream.
void PerLayerEmbeddingBlock(Pass& p, int il);
// Keeps only the last active row (prefill shortcut, §3.4).
void KeepLastRow(Pass& p);
// §3.5: output norm, tied LM head, soft-cap; `n * n_vocab` floats.
void OutputLogits(Pass& p, float* logits);

}  // namespace vigil::text::internal
