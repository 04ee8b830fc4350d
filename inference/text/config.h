// SPDX-License-Identifier: Apache-2.0
// Gemma 4 text hyper-parameters, read from GGUF metadata and validated
// (spec/gemma4-text.md §1.5, §2). Nothing here is specific to E2B or E4B.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::text {

enum class AttentionType { kSliding, kGlobal };

// Returns "S" or "F" (the spec's notation).
const char* AttentionTypeName(AttentionType type);

// Everything one decoder layer needs to know about its own shape.
struct LayerConfig {
  AttentionType type = AttentionType::kSliding;
  uint32_t head_dim = 0;   // D_l: key_length_swa (S) or key_length (F)
  uint32_t n_head = 0;     // query heads
  uint32_t n_head_kv = 0;  // key/value heads
  uint32_t n_ff = 0;       // FFN width of this layer
  uint32_t n_rot = 0;      // rotated dims (rope.dimension_count[_swa])
  float rope_base = 0.0f;  // rope.freq_base[_swa]
  bool owns_kv = true;     // false on the trailing shared_kv_layers
  int kv_source = 0;       // layer whose cache is read (itself if owns_kv)

  uint32_t q_width() const { return n_head * head_dim; }
  uint32_t kv_width() const { return n_head_kv * head_dim; }
};

// Model-wide hyper-parameters. Plain value type.
struct ModelConfig {
  std::string name;                // general.name (may be empty)
  uint32_t n_embd = 0;             // d
  uint32_t n_layer = 0;            // L
  uint32_t n_vocab = 0;            // V
  uint32_t n_ctx_train = 0;        // context_length
  uint32_t n_embd_per_layer = 0;   // P
  uint32_t sliding_window = 0;     // W (keys incl. the current token)
  uint32_t n_shared_kv_layers = 0;
  uint32_t head_dim_global = 0;    // key_length
  uint32_t head_dim_swa = 0;       // key_length_swa
  uint32_t n_rot_global = 0;
  uint32_t n_rot_swa = 0;
  float rope_base_global = 0.0f;
  float rope_base_swa = 0.0f;
  float rms_eps = 0.0f;
  float final_logit_softcap = 0.0f;  // 0 = off
  std::vector<LayerConfig> layers;

  // Index of the first KV-shared layer (== n_layer when none is shared).
  uint32_t first_shared_layer() const { return n_layer - n_shared_kv_layers; }
  // The largest head dim over all layers.
  uint32_t max_head_dim() const;
  uint32_t max_n_ff() const;
  uint32_t max_q_width() const;
};

// Reads and validates every hyper-parameter. Errors name the key, e.g.
// Unsupported "not a gemma4 model: general.architecture = 'llama'" or
// Corrupt "gemma4.attention.sliding_window_pattern has 4 entries, expected
// block_count = 5".
Result<ModelConfig> ReadModelConfig(const gguf::GgufFile& file);

// Returns the KV-cache bytes (float32 K and V) for a context of `n_ctx`
// positions fed in micro-batches of up to `max_ubatch` tokens: global layers
// keep every position, sliding layers only `W - 1 + max_ubatch` (§3.4).
size_t KvCacheBytes(const ModelConfig& config, size_t n_ctx,
                    size_t max_ubatch);

}  // namespace vigil::text
