// SPDX-License-Identifier: Apache-2.0
#include "inference/text/config.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>

#include "inference/gguf/config_checks.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::text {
namespace {

namespace keys = vigil::gguf::key;

// Upper bounds that keep a hostile file from requesting absurd buffers; real
// Gemma 4 files are far below them.
constexpr uint32_t kMaxLayers = 1024;
constexpr uint32_t kMaxEmbd = 1 << 16;
constexpr uint32_t kMaxHeadDim = 4096;
constexpr uint32_t kMaxHeads = 1024;
constexpr uint32_t kMaxFf = 1 << 20;

std::string Key(std::string_view key) { return std::string(key); }

Status ReadSizes(const gguf::GgufFile& f, ModelConfig* c) {
  VIGIL_ASSIGN_OR_RETURN(c->n_layer, f.GetU32(Key(keys::kBlockCount)));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(Key(keys::kBlockCount), c->n_layer, 1, kMaxLayers));
  VIGIL_ASSIGN_OR_RETURN(c->n_embd, f.GetU32(Key(keys::kEmbeddingLength)));
  VIGIL_RETURN_IF_ERROR(
      gguf::CheckKeyRange(Key(keys::kEmbeddingLength), c->n_embd, 1, kMaxEmbd));
  VIGIL_ASSIGN_OR_RETURN(c->n_ctx_train, f.GetU32(Key(keys::kContextLength)));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kContextLength), c->n_ctx_train,
                                   1, uint64_t{1} << 24));
  VIGIL_ASSIGN_OR_RETURN(c->n_embd_per_layer,
                         f.GetU32(Key(keys::kEmbeddingLengthPerLayer)));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kEmbeddingLengthPerLayer),
                                   c->n_embd_per_layer, 0, kMaxEmbd));
  VIGIL_ASSIGN_OR_RETURN(c->sliding_window,
                         f.GetU32(Key(keys::kSlidingWindow)));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kSlidingWindow),
                                   c->sliding_window, 1, uint64_t{1} << 24));
  VIGIL_ASSIGN_OR_RETURN(c->n_shared_kv_layers,
                         f.GetU32Or(Key(keys::kSharedKvLayers), 0));
  VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kSharedKvLayers),
                                   c->n_shared_kv_layers, 0, c->n_layer - 1));
  // The vocabulary size is the token list's length, else token_embd's rows.
  if (f.Has(keys::kTokenizerTokens)) {
    VIGIL_ASSIGN_OR_RETURN(uint64_t n, f.GetArrayLength(keys::kTokenizerTokens));
    c->n_vocab = static_cast<uint32_t>(std::min<uint64_t>(n, UINT32_MAX));
  } else if (const gguf::TensorInfo* t = f.FindTensor(gguf::tensor::kTokenEmbd)) {
    c->n_vocab = static_cast<uint32_t>(std::min<uint64_t>(t->ne[1], UINT32_MAX));
  }
  return gguf::CheckKeyRange("vocabulary size", c->n_vocab, 1, uint64_t{1} << 24);
}

Status ReadHeadDims(const gguf::GgufFile& f, uint32_t n_head0,
                    ModelConfig* c) {
  // key_length defaults to n_embd / n_head as in llama.cpp (spec §7).
  VIGIL_ASSIGN_OR_RETURN(c->head_dim_global,
                         f.GetU32Or(Key(keys::kKeyLength), c->n_embd / n_head0));
  VIGIL_ASSIGN_OR_RETURN(uint32_t v_global,
                         f.GetU32Or(Key(keys::kValueLength), c->head_dim_global));
  VIGIL_ASSIGN_OR_RETURN(c->head_dim_swa, f.GetU32(Key(keys::kKeyLengthSwa)));
  VIGIL_ASSIGN_OR_RETURN(uint32_t v_swa,
                         f.GetU32Or(Key(keys::kValueLengthSwa), c->head_dim_swa));
  if (v_global != c->head_dim_global || v_swa != c->head_dim_swa) {
    return Unsupported("value_length must equal key_length (got " +
                       std::to_string(v_global) + " vs " +
                       std::to_string(c->head_dim_global) + ", swa " +
                       std::to_string(v_swa) + " vs " +
                       std::to_string(c->head_dim_swa) + ")");
  }
  VIGIL_ASSIGN_OR_RETURN(c->n_rot_global, f.GetU32Or(Key(keys::kRopeDimensionCount),
                                                     c->head_dim_global));
  VIGIL_ASSIGN_OR_RETURN(c->n_rot_swa, f.GetU32Or(Key(keys::kRopeDimensionCountSwa),
                                                  c->head_dim_swa));
  for (auto [key, dim, rot] :
       {std::tuple{keys::kKeyLength, c->head_dim_global, c->n_rot_global},
        std::tuple{keys::kKeyLengthSwa, c->head_dim_swa, c->n_rot_swa}}) {
    VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(key), dim, 2, kMaxHeadDim));
    if (dim % 2 != 0 || rot % 2 != 0 || rot == 0 || rot > dim) {
      return Corrupt(Key(key) + " = " + std::to_string(dim) +
                     " with rope dimension " + std::to_string(rot) +
                     ": both must be even and rope <= head dim");
    }
  }
  return OkStatus();
}

Status ReadScalars(const gguf::GgufFile& f, ModelConfig* c) {
  VIGIL_ASSIGN_OR_RETURN(c->rms_eps, f.GetF32(Key(keys::kRmsEps)));
  VIGIL_ASSIGN_OR_RETURN(c->rope_base_global,
                         f.GetF32Or(Key(keys::kRopeFreqBase), 10000.0f));
  VIGIL_ASSIGN_OR_RETURN(c->rope_base_swa,
                         f.GetF32Or(Key(keys::kRopeFreqBaseSwa), 10000.0f));
  VIGIL_ASSIGN_OR_RETURN(c->final_logit_softcap,
                         f.GetF32Or(Key(keys::kFinalLogitSoftcapping), 0.0f));
  for (auto [key, value] :
       {std::pair{keys::kRmsEps, c->rms_eps},
        std::pair{keys::kRopeFreqBase, c->rope_base_global},
        std::pair{keys::kRopeFreqBaseSwa, c->rope_base_swa}}) {
    if (!std::isfinite(value) || value <= 0.0f) {
      return Corrupt(Key(key) + " must be a positive number, got " +
                     std::to_string(value));
    }
  }
  if (!std::isfinite(c->final_logit_softcap) || c->final_logit_softcap < 0) {
    return Corrupt(Key(keys::kFinalLogitSoftcapping) +
                   " must be >= 0, got " +
                   std::to_string(c->final_logit_softcap));
  }
  return OkStatus();
}

// General rule of spec §2.2: a shared layer reads the last non-shared layer
// of the same attention type.
Status AssignKvSources(ModelConfig* c) {
  const uint32_t first_shared = c->first_shared_layer();
  for (uint32_t il = 0; il < c->n_layer; ++il) {
    LayerConfig& layer = c->layers[il];
    layer.owns_kv = il < first_shared;
    layer.kv_source = static_cast<int>(il);
    if (layer.owns_kv) continue;
    int src = -1;
    for (uint32_t j = 0; j < first_shared; ++j) {
      if (c->layers[j].type == layer.type) src = static_cast<int>(j);
    }
    if (src < 0) {
      return Corrupt("layer " + std::to_string(il) + " (" +
                     AttentionTypeName(layer.type) +
                     ") shares KV but no earlier non-shared layer has its "
                     "attention type");
    }
    const LayerConfig& s = c->layers[src];
    if (s.head_dim != layer.head_dim || s.n_head_kv != layer.n_head_kv) {
      return Corrupt("layer " + std::to_string(il) +
                     " has a KV shape different from its source layer " +
                     std::to_string(src));
    }
    layer.kv_source = src;
  }
  return OkStatus();
}

Status ReadLayers(const gguf::GgufFile& f, const std::vector<uint32_t>& heads,
                  ModelConfig* c) {
  const uint32_t L = c->n_layer;
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint32_t> kv_heads,
                         f.GetPerLayerU32(Key(keys::kHeadCountKv), L));
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint32_t> n_ff,
                         f.GetPerLayerU32(Key(keys::kFeedForwardLength), L));
  VIGIL_ASSIGN_OR_RETURN(std::vector<bool> sliding,
                         f.GetPerLayerBool(Key(keys::kSlidingWindowPattern), L));
  c->layers.resize(L);
  for (uint32_t il = 0; il < L; ++il) {
    LayerConfig& layer = c->layers[il];
    const bool swa = sliding[il];
    layer.type = swa ? AttentionType::kSliding : AttentionType::kGlobal;
    layer.head_dim = swa ? c->head_dim_swa : c->head_dim_global;
    layer.n_rot = swa ? c->n_rot_swa : c->n_rot_global;
    layer.rope_base = swa ? c->rope_base_swa : c->rope_base_global;
    layer.n_head = heads[il];
    layer.n_head_kv = kv_heads[il];
    layer.n_ff = n_ff[il];
    const std::string where = " of layer " + std::to_string(il);
    VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kHeadCount) + where,
                                     layer.n_head, 1, kMaxHeads));
    VIGIL_RETURN_IF_ERROR(gguf::CheckKeyRange(Key(keys::kHeadCountKv) + where,
                                     layer.n_head_kv, 1, layer.n_head));
    VIGIL_RETURN_IF_ERROR(
        gguf::CheckKeyRange(Key(keys::kFeedForwardLength) + where, layer.n_ff, 1, kMaxFf));
    if (layer.n_head % layer.n_head_kv != 0) {
      return Corrupt("head_count " + std::to_string(layer.n_head) +
                     " is not a multiple of head_count_kv " +
                     std::to_string(layer.n_head_kv) + where);
    }
  }
  return AssignKvSources(c);
}

}  // namespace

const char* AttentionTypeName(AttentionType type) {
  return type == AttentionType::kSliding ? "S" : "F";
}

uint32_t ModelConfig::max_head_dim() const {
  return std::max(head_dim_global, head_dim_swa);
}
uint32_t ModelConfig::max_n_ff() const {
  uint32_t m = 0;
  for (const LayerConfig& l : layers) m = std::max(m, l.n_ff);
  return m;
}
uint32_t ModelConfig::max_q_width() const {
  uint32_t m = 0;
  for (const LayerConfig& l : layers) m = std::max(m, l.q_width());
  return m;
}

Result<ModelConfig> ReadModelConfig(const gguf::GgufFile& f) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view arch,
                         f.GetString(keys::kArchitecture));
  if (arch != keys::kArchGemma4) {
    return Unsupported("not a gemma4 model: general.architecture = '" +
                       std::string(arch) + "'");
  }
  ModelConfig c;
  VIGIL_ASSIGN_OR_RETURN(std::string_view name,
                         f.GetStringOr(keys::kName, ""));
  c.name = std::string(name);
  VIGIL_RETURN_IF_ERROR(ReadSizes(f, &c));
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint32_t> heads,
                         f.GetPerLayerU32(Key(keys::kHeadCount), c.n_layer));
  if (heads[0] == 0) return Corrupt(Key(keys::kHeadCount) + " is 0");
  VIGIL_RETURN_IF_ERROR(ReadHeadDims(f, heads[0], &c));
  VIGIL_RETURN_IF_ERROR(ReadScalars(f, &c));
  VIGIL_RETURN_IF_ERROR(ReadLayers(f, heads, &c));
  return c;
}

}  // namespace vigil::text
