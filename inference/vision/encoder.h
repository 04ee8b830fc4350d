// SPDX-License-Identifier: Apache-2.0
// The Gemma 4 vision encoder (spec/gemma4-vision-audio.md §4): patches of one
// preprocessed image in, soft tokens in the text model's embedding space out.
// Every linear runs as one batched matmul over all patches on the shared
// kernels; attention is chunked so memory stays linear in the patch count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"
#include "inference/vision/model.h"

namespace vigil::mm {

// Receives named intermediates in llama.cpp's vocabulary (`inp`, `pos_embd`,
// `Qcur_pos`, `attn_out`, `ffn_out`, `layer_out_scaled`, `pooled`,
// `projected`, ...; `layer` = -1 for tower-wide ones): `n_rows` rows of
// `row_len` floats, one row per patch or token. Debug/test only.
using VisionTensorCallback =
    std::function<void(std::string_view name, int layer, const float* data,
                       size_t n_rows, size_t row_len)>;

struct EncodeOptions {
  // How activations meet F16/BF16/Q8_0 weights; F32 weights are exact either
  // way.
  kernels::MatMulPrecision precision =
      kernels::MatMulPrecision::kQuantizedActivations;
  // Emulates llama.cpp's fp16 GELU lookup table (ref/README.md note 1) for
  // bit-closer parity with stock llama.cpp; off = exact float32 GELU.
  bool gelu_fp16_table = false;
  VisionTensorCallback on_tensor;  // optional
};

// The encoder's input: `grid_w * grid_h` patches in row-major order, each
// `3 * patch_size^2` floats in (channel, row, column) order with the column
// fastest (the conv kernel's layout, spec §2.3), pixel values in [0, 1].
struct PatchGrid {
  uint32_t grid_w = 0;  // patches per row (image width / patch_size)
  uint32_t grid_h = 0;  // patch rows
  std::span<const float> data;
};

// `n_tokens` soft tokens of `n_embd` floats, row-major over the pooled grid.
struct SoftTokens {
  size_t n_tokens = 0;
  size_t n_embd = 0;
  std::vector<float> data;
};

// Encodes one image. Returns InvalidArgument when the grid is empty, not a
// multiple of the pooling kernel, larger than the position tables, or when
// `data` has the wrong size. Allocates its scratch per call (linear in the
// patch count). Runs the heavy loops on `pool`.
Result<SoftTokens> EncodeImage(const VisionModel& model, const PatchGrid& grid,
                               kernels::ThreadPool& pool,
                               const EncodeOptions& options = {});

// Returns the scratch bytes `EncodeImage` needs for `n_patches` patches.
size_t EncodeScratchBytes(const VisionConfig& config, size_t n_patches);

}  // namespace vigil::mm
