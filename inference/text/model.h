// SPDX-License-Identifier: Apache-2.0
// A loaded Gemma 4 text model: the mmapped GGUF, its hyper-parameters and the
// tensor table bound to the mapping (matrices this CPU decodes faster
// re-laid in memory of the model's own: text/decode_layout.h). Immutable after `Load`, so one model can
// serve several sessions. Thread-safe for concurrent readers.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "inference/gguf/mapped_file.h"
#include "inference/text/config.h"
#include "inference/text/weights.h"

namespace vigil::gguf {
class GgufFile;
}

namespace vigil::text {

class Model {
 public:
  // Maps `path`, reads the config and binds all tensors, or returns the first
  // error (prefixed with the path). `relay_for_decode` false leaves every
  // matrix in the file mapping (inspection without generating).
  static Result<std::unique_ptr<Model>> Load(const std::string& path,
                                             bool relay_for_decode = true);
  ~Model();

  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }
  const gguf::GgufFile& file() const { return *file_; }

 private:
  Model() = default;
  std::unique_ptr<gguf::GgufFile> file_;
  ModelConfig config_;
  ModelWeights weights_;
  gguf::AnonymousPages repacked_;  // what weights_ points at besides the file
};

}  // namespace vigil::text
