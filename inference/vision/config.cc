// SPDX-License-Identifier: Apache-2.0
#include "inference/vision/config.h"

#include <string>

#include "inference/gguf/config_checks.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::mm {
namespace {

namespace key = vigil::gguf::key;

// Upper bounds that keep every product below in 64-bit range and reject
// nonsense before any allocation (real E2B/E4B: 768 / 3072 / 16 / 12).
constexpr uint32_t kMaxEmbd = 16384;
constexpr uint32_t kMaxLayers = 256;

}  // namespace

Result<VisionConfig> ReadVisionConfig(const gguf::GgufFile& f) {
  VIGIL_RETURN_IF_ERROR(gguf::CheckMmprojTower(
      f, {.modality = "vision",
          .has_key = key::kClipHasVision,
          .projector_key = key::kVisionProjectorType,
          .projector = key::kProjectorGemma4v}));
  VisionConfig c;
  VIGIL_ASSIGN_OR_RETURN(c.patch_size, f.GetU32(key::kVisionPatchSize));
  VIGIL_ASSIGN_OR_RETURN(c.n_embd, f.GetU32(key::kVisionEmbeddingLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_ff, f.GetU32(key::kVisionFeedForwardLength));
  VIGIL_ASSIGN_OR_RETURN(c.n_layer, f.GetU32(key::kVisionBlockCount));
  VIGIL_ASSIGN_OR_RETURN(c.n_head, f.GetU32(key::kVisionHeadCount));
  VIGIL_ASSIGN_OR_RETURN(c.projection_dim,
                         f.GetU32(key::kVisionProjectionDim));
  VIGIL_ASSIGN_OR_RETURN(c.pool, f.GetU32Or(key::kVisionScaleFactor, 3));
  VIGIL_ASSIGN_OR_RETURN(c.eps, f.GetF32Or(key::kVisionLayerNormEps, 1e-6f));
  VIGIL_ASSIGN_OR_RETURN(bool use_gelu, f.GetBoolOr(key::kClipUseGelu, false));
  c.activation =
      use_gelu ? VisionActivation::kGeluTanh : VisionActivation::kGeluQuick;
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(key::kVisionPatchSize, c.patch_size, 1, 64));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kVisionEmbeddingLength, c.n_embd, 1, kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kVisionFeedForwardLength, c.n_ff, 1, 8 * kMaxEmbd));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kVisionBlockCount, c.n_layer, 1, kMaxLayers));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(key::kVisionHeadCount, c.n_head, 1, 256));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(key::kVisionProjectionDim, c.projection_dim, 1, 65536));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(key::kVisionScaleFactor, c.pool, 1, 8));
  if (c.n_embd % c.n_head != 0 || (c.n_embd / c.n_head) % 4 != 0) {
    return Corrupt(std::string(key::kVisionEmbeddingLength) + " " +
                   std::to_string(c.n_embd) + " must split into " +
                   std::to_string(c.n_head) +
                   " heads whose size is a multiple of 4 (2D RoPE halves)");
  }
  c.head_dim = c.n_embd / c.n_head;
  if (!(c.eps > 0.0f && c.eps < 1.0f)) {
    return Corrupt(std::string(key::kVisionLayerNormEps) +
                   " must be in (0, 1), got " + std::to_string(c.eps));
  }
  return c;
}

}  // namespace vigil::mm
