// SPDX-License-Identifier: Apache-2.0
// A loaded Gemma 4 audio tower: the mmapped mmproj GGUF (which also holds
// the vision tower; only the `a.`/`mm.a.` part is bound here), its config and
// tensor table. Immutable after `Load`; safe for concurrent readers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "inference/audio/config.h"
#include "inference/audio/weights.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::audio {

class AudioModel {
 public:
  // Maps `path`, reads the audio config and binds all audio tensors, or
  // returns the first error prefixed with the path.
  static Result<std::unique_ptr<AudioModel>> Load(const std::string& path);
  // Same over an already opened file (takes ownership).
  static Result<std::unique_ptr<AudioModel>> FromFile(
      std::unique_ptr<gguf::GgufFile> file);
  ~AudioModel();

  // InvalidArgument unless the projector's output width equals the text
  // model's `n_embd` (the mmproj must belong to that model).
  Status CheckTextModel(uint32_t text_n_embd) const;

  const AudioConfig& config() const { return config_; }
  const AudioWeights& weights() const { return weights_; }

 private:
  AudioModel() = default;
  std::unique_ptr<gguf::GgufFile> file_;
  AudioConfig config_;
  AudioWeights weights_;
};

}  // namespace vigil::audio
