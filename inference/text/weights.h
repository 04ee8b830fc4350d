// SPDX-License-Identifier: Apache-2.0
// The Gemma 4 text tensor table (spec/gemma4-text.md §1.7), bound to the
// mmapped GGUF: every pointer points into the file mapping, nothing is copied
// (Model::Load may then re-lay some matrices for decode: decode_layout.h).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/kernels/matmul.h"
#include "inference/text/config.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::text {

using kernels::WeightMatrix;

// Weights of one decoder layer. `attn_k/attn_v/attn_k_norm` are empty
// (`data == nullptr`) on KV-shared layers whose file omits them.
struct LayerWeights {
  const float* attn_norm = nullptr;            // [d]
  WeightMatrix attn_q;                         // [d] -> [Hq*D]
  WeightMatrix attn_k;                         // [d] -> [Hkv*D]
  WeightMatrix attn_v;                         // [d] -> [Hkv*D]
  const float* attn_q_norm = nullptr;          // [D]
  const float* attn_k_norm = nullptr;          // [D]
  WeightMatrix attn_output;                    // [Hq*D] -> [d]
  const float* post_attention_norm = nullptr;  // [d]
  const float* ffn_norm = nullptr;             // [d]
  WeightMatrix ffn_gate, ffn_up;               // [d] -> [n_ff]
  WeightMatrix ffn_down;                       // [n_ff] -> [d]
  const float* post_ffw_norm = nullptr;        // [d]
  WeightMatrix inp_gate;                       // [d] -> [P]
  WeightMatrix proj;                           // [P] -> [d]
  const float* post_norm = nullptr;            // [d]
  float layer_output_scale = 1.0f;             // optional, default 1
};

struct ModelWeights {
  WeightMatrix token_embd;            // [d, V]; also the tied LM head
  WeightMatrix per_layer_token_embd;  // [L*P, V]; rows read per token
  WeightMatrix per_layer_model_proj;  // [d] -> [L*P]
  const float* per_layer_proj_norm = nullptr;  // [P]
  const float* output_norm = nullptr;          // [d]
  const float* rope_freqs = nullptr;  // [n_rot_global/2] or nullptr
  std::vector<LayerWeights> layers;
};

// One tensor as the loader saw it, for `model info`.
struct TensorSummary {
  std::string name;
  std::string type;  // "Q4_K"
  std::vector<uint64_t> ne;
  size_t bytes = 0;
};

// Binds every tensor of `config` in `file`, checking presence, shape and
// type. Errors name the tensor: NotFound "tensor 'blk.3.attn_q.weight'
// missing", Corrupt "tensor 'blk.3.attn_q.weight' has wrong shape; expected
// [256, 256], got [256, 128]", Unsupported "tensor 'x' has type IQ2_XXS,
// which this engine cannot compute with". `file` must outlive the result.
Result<ModelWeights> BindWeights(const gguf::GgufFile& file,
                                 const ModelConfig& config);

}  // namespace vigil::text
