// SPDX-License-Identifier: Apache-2.0
// The audio tower's tensor table bound to the mmapped mmproj
// (spec/gemma4-vision-audio.md §2.4, §2.6): shapes and types checked once at
// load; matrices stay in the mapping, small derived tables are owned.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "common/status.h"
#include "inference/audio/config.h"
#include "inference/kernels/matmul.h"
#include "inference/weights/tensor_binder.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::audio {

// A linear with its clamps (spec §2.6), as both towers load them.
using ClampedLinear = weights::ClampedLinear;

struct AudioLayerWeights {
  const float* ffn_norm = nullptr;         // [d] first macaron FFN
  ClampedLinear ffn_up, ffn_down;
  const float* ffn_post_norm = nullptr;
  const float* attn_pre_norm = nullptr;
  ClampedLinear attn_q, attn_k, attn_v, attn_out;
  kernels::WeightMatrix attn_k_rel;        // [d] -> [d], not clamped
  const float* per_dim_scale = nullptr;    // [head_dim], already softplus-ed
  const float* per_dim_k_scale = nullptr;  // [head_dim], optional
  const float* attn_post_norm = nullptr;
  const float* conv_norm = nullptr;        // before the light conv (swap!)
  ClampedLinear conv_pw1;                    // [d] -> [2d], then GLU
  const float* conv_dw = nullptr;          // [d][dw_kernel]
  const float* norm_conv = nullptr;        // after the depthwise conv
  ClampedLinear conv_pw2;
  const float* ffn_norm_1 = nullptr;       // second macaron FFN
  ClampedLinear ffn_up_1, ffn_down_1;
  const float* ffn_post_norm_1 = nullptr;
  const float* ln2 = nullptr;              // block output norm
};

// Thread-safe for concurrent readers once bound.
struct AudioWeights {
  // Subsampling conv kernels, rounded to fp16 because llama.cpp's conv_2d
  // computes in fp16 (ref/README.md note 5). conv0: [c0][3*3] (kt, kf);
  // conv1: [c1][3*3*c0] in (kt, kf, c_in) order to match the im2col rows.
  std::vector<float> conv0, conv1;
  const float* conv0_norm = nullptr;  // [c0]
  const float* conv1_norm = nullptr;  // [c1]
  kernels::WeightMatrix input_projection;  // [f*c1] -> [d]
  std::vector<AudioLayerWeights> layers;
  kernels::WeightMatrix output_proj;       // a.pre_encode.out [d] -> [out]
  const float* output_bias = nullptr;      // [out]
  const float* soft_emb_norm = nullptr;    // [out], optional
  kernels::WeightMatrix mm_projection;     // [out] -> [projection_dim]
};

// Binds every audio tensor of `file` (which must outlive the result) and
// fills the shape-derived fields of `config`. Returns kNotFound for a missing
// tensor, kCorrupt for a wrong shape, kUnsupported for a type the kernels
// cannot use. Vision tensors are ignored.
Result<AudioWeights> BindAudioWeights(const gguf::GgufFile& file,
                                      AudioConfig* config);

}  // namespace vigil::audio
