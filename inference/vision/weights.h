// SPDX-License-Identifier: Apache-2.0
// The vision tower's tensor table bound to the mmapped mmproj
// (spec/gemma4-vision-audio.md §2.3, §2.6): shapes and types checked once at
// load; matrices stay in the mapping, small derived tables are owned.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "common/status.h"
#include "inference/kernels/matmul.h"
#include "inference/weights/tensor_binder.h"
#include "inference/vision/config.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::mm {

// A linear with its clamps (spec §2.6), as both towers load them.
using ClampedLinear = weights::ClampedLinear;

struct VisionLayerWeights {
  const float* ln1 = nullptr;             // [d]
  const float* ln2 = nullptr;             // [d]
  const float* attn_post_norm = nullptr;  // [d]
  const float* ffn_post_norm = nullptr;   // [d]
  const float* attn_q_norm = nullptr;     // [head_dim]
  const float* attn_k_norm = nullptr;     // [head_dim]
  ClampedLinear attn_q, attn_k, attn_v, attn_out;  // [d] -> [d]
  ClampedLinear ffn_gate, ffn_up;                  // [d] -> [n_ff]
  ClampedLinear ffn_down;                          // [n_ff] -> [d]
  float out_scale = 1.0f;  // v.blk.N.out_scale (optional)
};

// Thread-safe for concurrent readers once bound.
struct VisionWeights {
  // Patch kernel as float rows [d][3*p*p] in (c, py, px) order, each value
  // rounded to fp16 because llama.cpp's conv_2d computes in fp16
  // (ref/README.md note 5).
  std::vector<float> patch_embd;
  // Position tables [2][n_pos][d]: slab 0 indexed by column, 1 by row.
  std::vector<float> position_embd;
  std::vector<VisionLayerWeights> layers;
  const float* std_bias = nullptr;   // [d], optional
  const float* std_scale = nullptr;  // [d], optional
  ClampedLinear input_projection;    // [d] -> [projection_dim]
};

// Binds every vision tensor of `file` (which must outlive the result) and
// fills `config->n_pos` from the position table. Returns kNotFound for a
// missing tensor, kCorrupt for a wrong shape ("tensor 'v.blk.3.attn_q.weight'
// has wrong shape; expected [768, 768], got [768, 512]"), kUnsupported for a
// type the kernels cannot use. Audio tensors are ignored.
Result<VisionWeights> BindVisionWeights(const gguf::GgufFile& file,
                                        VisionConfig* config);

}  // namespace vigil::mm
