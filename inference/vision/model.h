// SPDX-License-Identifier: Apache-2.0
// A loaded Gemma 4 vision tower: the mmapped mmproj GGUF, its config and the
// bound tensor table. Immutable after `Load`; thread-safe for concurrent
// readers, so one tower can serve several encoders.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "inference/vision/config.h"
#include "inference/vision/weights.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::mm {

class VisionModel {
 public:
  // Maps `path`, reads the vision config and binds all vision tensors, or
  // returns the first error prefixed with the path.
  static Result<std::unique_ptr<VisionModel>> Load(const std::string& path);
  // Same over an already opened file (takes ownership).
  static Result<std::unique_ptr<VisionModel>> FromFile(
      std::unique_ptr<gguf::GgufFile> file);
  ~VisionModel();

  // Returns InvalidArgument unless the projector's output width equals the
  // text model's `n_embd` (the mmproj must belong to that model).
  Status CheckTextModel(uint32_t text_n_embd) const;

  const VisionConfig& config() const { return config_; }
  const VisionWeights& weights() const { return weights_; }
  const gguf::GgufFile& file() const { return *file_; }

 private:
  VisionModel() = default;
  std::unique_ptr<gguf::GgufFile> file_;
  VisionConfig config_;
  VisionWeights weights_;
};

}  // namespace vigil::mm
