// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/model.h"

#include <string>

#include "inference/gguf/reader.h"

namespace vigil::audio {

AudioModel::~AudioModel() = default;

Result<std::unique_ptr<AudioModel>> AudioModel::Load(const std::string& path) {
  auto file = gguf::GgufFile::Open(path);
  if (!file.ok()) return file.status();
  return FromFile(std::make_unique<gguf::GgufFile>(std::move(file).value()));
}

Result<std::unique_ptr<AudioModel>> AudioModel::FromFile(
    std::unique_ptr<gguf::GgufFile> file) {
  std::unique_ptr<AudioModel> m(new AudioModel());
  m->file_ = std::move(file);
  const std::string& path = m->file_->path();
  auto config = ReadAudioConfig(*m->file_);
  if (!config.ok()) return config.status().WithContext(path);
  m->config_ = config.value();
  auto weights = BindAudioWeights(*m->file_, &m->config_);
  if (!weights.ok()) return weights.status().WithContext(path);
  m->weights_ = std::move(weights).value();
  return m;
}

Status AudioModel::CheckTextModel(uint32_t text_n_embd) const {
  if (config_.projection_dim != text_n_embd ||
      weights_.mm_projection.rows != text_n_embd) {
    return InvalidArgument(
        "mmproj '" + file_->path() + "' projects audio to " +
        std::to_string(config_.projection_dim) +
        " dims but the text model has n_embd " + std::to_string(text_n_embd) +
        "; use the mmproj file released with this model");
  }
  return OkStatus();
}

}  // namespace vigil::audio
