// SPDX-License-Identifier: Apache-2.0
// Gemma 4 audio tower hyper-parameters (`gemma4a`), read from the mmproj's
// clip.audio.* keys and tensor shapes (spec/gemma4-vision-audio.md §2.2).
#pragma once

#include <cstdint>

#include "common/status.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::audio {

// Plain value type. Constants that llama.cpp hard-codes are kept here rather
// than read from the file (spec §2.2, pitfall 23).
struct AudioConfig {
  uint32_t n_mel = 128;
  uint32_t n_embd = 0;          // d_a
  uint32_t n_ff = 0;
  uint32_t n_layer = 0;
  uint32_t n_head = 0;
  uint32_t head_dim = 0;        // n_embd / n_head
  uint32_t projection_dim = 0;  // n_embd of the text model
  // From tensor shapes (filled by BindAudioWeights).
  uint32_t conv0_channels = 0;  // 128 in E2B/E4B
  uint32_t conv1_channels = 0;  // 32
  uint32_t output_dim = 0;      // a.pre_encode.out rows (1536)
  uint32_t dw_kernel = 0;       // depthwise conv width (5)
  // Hard-coded, as in both references.
  float eps = 1e-6f;
  uint32_t attn_chunk = 12;     // causal window: self + 11 past
  float attn_softcap = 50.0f;
  float ffn_residual = 0.5f;

  // Frequency bins after the two stride-2 convolutions (128 -> 64 -> 32).
  uint32_t freq_after_convs() const { return ((n_mel + 1) / 2 + 1) / 2; }
};

// Reads and validates the audio config, or returns kNotFound/kCorrupt naming
// the key, kUnsupported when the file has no `gemma4a` audio tower (the
// encoder-free `gemma4ua` of the 12B model is rejected by name).
Result<AudioConfig> ReadAudioConfig(const gguf::GgufFile& file);

}  // namespace vigil::audio
