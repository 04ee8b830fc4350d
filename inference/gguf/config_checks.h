// SPDX-License-Identifier: Apache-2.0
// Checks the text, vision and audio loaders share when they read their
// hyperparameters from GGUF metadata, with one wording for each error.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "inference/gguf/reader.h"

namespace vigil::gguf {

// Corrupt "KEY = V is outside the supported range [LO, HI]" unless
// lo <= value <= hi.
Status CheckKeyRange(std::string_view key, uint64_t value, uint64_t lo,
                     uint64_t hi);

// One encoder of an mmproj file (spec/gemma4-vision-audio.md §2.2).
struct MmprojTower {
  std::string_view modality;       // "vision" or "audio", for messages
  std::string_view has_key;        // clip.has_vision_encoder, ...
  std::string_view projector_key;  // per-modality projector type key
  std::string_view projector;      // the only type supported
};

// Unsupported unless `f` is an mmproj (general.architecture "clip") with
// `tower`'s encoder and projector type; the per-modality projector key is
// read first, the single legacy key as a fallback.
Status CheckMmprojTower(const GgufFile& f, const MmprojTower& tower);

}  // namespace vigil::gguf
