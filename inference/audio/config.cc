// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/config.h"

#include <string>

#include "inference/gguf/config_checks.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::audio {
namespace {

namespace key = vigil::gguf::key;

constexpr uint32_t kMaxEmbd = 16384;
constexpr uint32_t kMaxLayers = 256;

}  // namespace

Result<AudioConfig> ReadAudioConfig(const gguf::GgufFile& f) {
  VIGIL_RETURN_IF_ERROR(gguf::CheckMmprojTower(
      f, {.modality = "audio",
          .has_key = key::kClipHasAudio,
          .projector_key = key::kAudioProjectorType,
          .projector = key::kProjectorGemma4a}));
  AudioConfig c;
  VIGIL_ASSIGN_OR_RETURN(c.n_mel, f.GetU32Or(key::kAudioNumMelBins, 128));
  VIGIL_ASSIGN_OR_RETURN(c.n_embd, f.GetU32(key::kAudioEmbeddingLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_ff, f.GetU32(key::kAudioFeedForwardLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_layer, f.GetU32(key::kAudioBlockCount));
  VIGIL_ASSIGN_OR_RETURN(c.n_head, f.GetU32(key::kAudioHeadCount));
  VIGIL_ASSIGN_OR_RETURN(c.projection_dim, f.GetU32(key::kAudioProjectionDim));
  // The mel front end is fixed at 128 bins (spec §6.2).
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(key::kAudioNumMelBins, c.n_mel, 128, 128));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kAudioEmbeddingLength, c.n_embd, 2, kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kAudioFeedForwardLength, c.n_ff, 1, 8 * kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kAudioBlockCount, c.n_layer, 1, kMaxLayers));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(key::kAudioHeadCount, c.n_head, 1, 256));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kAudioProjectionDim, c.projection_dim, 1, 65536));
  if (c.n_embd % c.n_head != 0 || c.n_embd % 2 != 0) {
    return Corrupt(std::string(key::kAudioEmbeddingLength) + " " +
                   std::to_string(c.n_embd) + " must be even and split into " +
                   std::to_string(c.n_head) + " equal heads");
  }
  c.head_dim = c.n_embd / c.n_head;
  return c;
}

}  // namespace vigil::audio
