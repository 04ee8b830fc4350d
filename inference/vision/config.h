// SPDX-License-Identifier: Apache-2.0
// Gemma 4 vision tower hyper-parameters (`gemma4v`), read from the mmproj's
// clip.vision.* keys and validated (spec/gemma4-vision-audio.md §2.2).
#pragma once

#include <cstdint>

#include "common/status.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::mm {

// Which vision FFN activation the tower uses (spec §4.4 [DIVERGENCE]).
enum class VisionActivation { kGeluQuick, kGeluTanh };

// Plain value type.
struct VisionConfig {
  uint32_t patch_size = 16;      // pixels per patch side
  uint32_t n_embd = 0;           // d_v
  uint32_t n_ff = 0;             // FFN width
  uint32_t n_layer = 0;
  uint32_t n_head = 0;
  uint32_t head_dim = 0;         // n_embd / n_head
  uint32_t n_pos = 0;            // rows of each position table (from shape)
  uint32_t pool = 3;             // pooling kernel k (scale_factor or 3)
  uint32_t projection_dim = 0;   // n_embd of the text model
  float eps = 1e-6f;
  float rope_theta = 100.0f;     // hard-coded by both references (§2.2)
  VisionActivation activation = VisionActivation::kGeluQuick;

  // Returns the side of one soft token in pixels (patch_size * pool = 48).
  uint32_t align() const { return patch_size * pool; }
};

// Reads and validates the vision config, or returns kNotFound/kCorrupt
// naming the key, kUnsupported for a file without a `gemma4v` vision tower.
// `n_pos` is filled from the position table's shape by `BindVisionWeights`.
Result<VisionConfig> ReadVisionConfig(const gguf::GgufFile& file);

}  // namespace vigil::mm
