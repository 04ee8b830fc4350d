// SPDX-License-Identifier: Apache-2.0
#include "inference/vision/model.h"

#include <string>

#include "inference/gguf/reader.h"

namespace vigil::mm {

VisionModel::~VisionModel() = default;

Result<std::unique_ptr<VisionModel>> VisionModel::Load(
    const std::string& path) {
  auto file = gguf::GgufFile::Open(path);
  if (!file.ok()) return file.status();
  return FromFile(std::make_unique<gguf::GgufFile>(std::move(file).value()));
}

Result<std::unique_ptr<VisionModel>> VisionModel::FromFile(
    std::unique_ptr<gguf::GgufFile> file) {
  std::unique_ptr<VisionModel> m(new VisionModel());
  m->file_ = std::move(file);
  const std::string& path = m->file_->path();
  auto config = ReadVisionConfig(*m->file_);
  if (!config.ok()) return config.status().WithContext(path);
  m->config_ = config.value();
  auto weights = BindVisionWeights(*m->file_, &m->config_);
  if (!weights.ok()) return weights.status().WithContext(path);
  m->weights_ = std::move(weights).value();
  return m;
}

Status VisionModel::CheckTextModel(uint32_t text_n_embd) const {
  if (config_.projection_dim != text_n_embd) {
    return InvalidArgument(
        "mmproj '" + file_->path() + "' projects images to " +
        std::to_string(config_.projection_dim) +
        " dims but the text model has n_embd " + std::to_string(text_n_embd) +
        "; use the mmproj file released with this model");
  }
  return OkStatus();
}

}  // namespace vigil::mm
