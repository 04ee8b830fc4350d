// SPDX-License-Identifier: Apache-2.0
#include "inference/text/model.h"

#include "inference/gguf/reader.h"
#include "inference/text/decode_layout.h"

namespace vigil::text {

Model::~Model() = default;

Result<std::unique_ptr<Model>> Model::Load(const std::string& path,
                                           bool relay_for_decode) {
  auto file = gguf::GgufFile::Open(path);
  if (!file.ok()) return file.status().WithContext(path);
  std::unique_ptr<Model> model(new Model());
  model->file_ = std::make_unique<gguf::GgufFile>(std::move(file).value());
  auto config = ReadModelConfig(*model->file_);
  if (!config.ok()) return config.status().WithContext(path);
  model->config_ = std::move(config).value();
  auto weights = BindWeights(*model->file_, model->config_);
  if (!weights.ok()) return weights.status().WithContext(path);
  model->weights_ = std::move(weights).value();
  if (!relay_for_decode) return model;
  auto repacked = RepackForDecode(&model->weights_);
  if (!repacked.ok()) return repacked.status().WithContext(path);
  model->repacked_ = std::move(repacked).value();
  return model;
}

}  // namespace vigil::text
