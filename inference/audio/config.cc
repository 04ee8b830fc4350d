// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/config.h"

#include <string>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::audio {
namespace {

namespace key = vigil::gguf::key;

constexpr uint32_t kMaxEmbd = 16384;
constexpr uint32_t kMaxLayers = 256;

Status CheckRange(const char* what, uint32_t v, uint32_t lo, uint32_t hi) {
  if (v < lo || v > hi) {
    return Corrupt(std::string(what) + " must be in [" + std::to_string(lo) +
                   ", " + std::to_string(hi) + "], got " + std::to_string(v));
  }
  return OkStatus();
}

Status CheckArchitecture(const gguf::GgufFile& f) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view arch,
                         f.GetString(key::kArchitecture));
  if (arch != key::kArchClip) {
    return Unsupported("general.architecture is '" + std::string(arch) +
                       "', expected 'clip' (an mmproj file); did you swap "
                       "--model and --mmproj?");
  }
  VIGIL_ASSIGN_OR_RETURN(bool has_audio, f.GetBoolOr(key::kClipHasAudio, false));
  if (!has_audio) {
    return Unsupported("mmproj has no audio encoder (" +
                       std::string(key::kClipHasAudio) +
                       " is false); use the mmproj of Gemma 4 E2B or E4B");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string_view legacy,
                         f.GetStringOr(key::kClipProjectorType, ""));
  VIGIL_ASSIGN_OR_RETURN(std::string_view proj,
                         f.GetStringOr(key::kAudioProjectorType, legacy));
  if (proj != key::kProjectorGemma4a) {
    return Unsupported("audio projector type is '" + std::string(proj) +
                       "'; only 'gemma4a' (Gemma 4 E2B/E4B) is supported");
  }
  return OkStatus();
}

}  // namespace

Result<AudioConfig> ReadAudioConfig(const gguf::GgufFile& f) {
  VIGIL_RETURN_IF_ERROR(CheckArchitecture(f));
  AudioConfig c;
  VIGIL_ASSIGN_OR_RETURN(c.n_mel, f.GetU32Or(key::kAudioNumMelBins, 128));
  VIGIL_ASSIGN_OR_RETURN(c.n_embd, f.GetU32(key::kAudioEmbeddingLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_ff, f.GetU32(key::kAudioFeedForwardLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_layer, f.GetU32(key::kAudioBlockCount));
  VIGIL_ASSIGN_OR_RETURN(c.n_head, f.GetU32(key::kAudioHeadCount));
  VIGIL_ASSIGN_OR_RETURN(c.projection_dim, f.GetU32(key::kAudioProjectionDim));
  // The mel front end is fixed at 128 bins (spec §6.2).
  VIGIL_RETURN_IF_ERROR(CheckRange(key::kAudioNumMelBins, c.n_mel, 128, 128));
  VIGIL_RETURN_IF_ERROR(
      CheckRange(key::kAudioEmbeddingLength, c.n_embd, 2, kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      CheckRange(key::kAudioFeedForwardLength, c.n_ff, 1, 8 * kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      CheckRange(key::kAudioBlockCount, c.n_layer, 1, kMaxLayers));
  VIGIL_RETURN_IF_ERROR(CheckRange(key::kAudioHeadCount, c.n_head, 1, 256));
  VIGIL_RETURN_IF_ERROR(
      CheckRange(key::kAudioProjectionDim, c.projection_dim, 1, 65536));
  if (c.n_embd % c.n_head != 0 || c.n_embd % 2 != 0) {
    return Corrupt(std::string(key::kAudioEmbeddingLength) + " " +
                   std::to_string(c.n_embd) + " must be even and split into " +
                   std::to_string(c.n_head) + " equal heads");
  }
  c.head_dim = c.n_embd / c.n_head;
  return c;
}

}  // namespace vigil::audio
