// SPDX-License-Identifier: Apache-2.0
#include "inference/text/weights.h"

#include <string>

#include "inference/gguf/mapped_file.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/weights/tensor_binder.h"

namespace vigil::text {
namespace {

namespace names = vigil::gguf::tensor;

using Binder = weights::TensorBinder;

// A 2-D weight `ne = [in, out]` of any type the kernels compute with; left
// empty when optional and absent.
Status Matrix(const Binder& b, const std::string& name, uint64_t in,
              uint64_t out, WeightMatrix* m, bool optional = false) {
  VIGIL_ASSIGN_OR_RETURN(*m, b.Matrix(name, {in, out}, in, out, optional));
  return OkStatus();
}

// A 1-D float32 vector of `n` values (norm weights and the like).
Status Vector(const Binder& b, const std::string& name, uint64_t n,
              const float** v, bool optional = false) {
  VIGIL_ASSIGN_OR_RETURN(*v, b.Vector(name, n, optional));
  return OkStatus();
}

Status BindLayer(const Binder& b, const ModelConfig& c, int il,
                 LayerWeights* w) {
  const LayerConfig& lc = c.layers[il];
  const uint64_t d = c.n_embd, D = lc.head_dim;
  const uint64_t P = c.n_embd_per_layer;
  auto n = [il](const char* suffix) { return gguf::BlockTensor(il, suffix); };
  // K/V tensors are unused on KV-shared layers and may be absent (§1.7 (*)).
  const bool kv_optional = !lc.owns_kv;
  VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kAttnNorm), d, &w->attn_norm));
  VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kAttnQ), d, lc.q_width(), &w->attn_q));
  VIGIL_RETURN_IF_ERROR(
      Matrix(b, n(names::kAttnK), d, lc.kv_width(), &w->attn_k, kv_optional));
  // attn_v may be absent on k=v models (V = raw K projection).
  VIGIL_RETURN_IF_ERROR(
      Matrix(b, n(names::kAttnV), d, lc.kv_width(), &w->attn_v, true));
  VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kAttnQNorm), D, &w->attn_q_norm));
  VIGIL_RETURN_IF_ERROR(
      Vector(b, n(names::kAttnKNorm), D, &w->attn_k_norm, kv_optional));
  VIGIL_RETURN_IF_ERROR(
      Matrix(b, n(names::kAttnOutput), lc.q_width(), d, &w->attn_output));
  VIGIL_RETURN_IF_ERROR(
      Vector(b, n(names::kPostAttentionNorm), d, &w->post_attention_norm));
  VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kFfnNorm), d, &w->ffn_norm));
  VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kFfnGate), d, lc.n_ff, &w->ffn_gate));
  VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kFfnUp), d, lc.n_ff, &w->ffn_up));
  VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kFfnDown), lc.n_ff, d, &w->ffn_down));
  VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kPostFfwNorm), d, &w->post_ffw_norm));
  if (P > 0) {
    VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kInpGate), d, P, &w->inp_gate));
    VIGIL_RETURN_IF_ERROR(Matrix(b, n(names::kProj), P, d, &w->proj));
    VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kPostNorm), d, &w->post_norm));
  }
  const float* scale = nullptr;
  VIGIL_RETURN_IF_ERROR(Vector(b, n(names::kLayerOutputScale), 1, &scale, true));
  w->layer_output_scale = scale != nullptr ? *scale : 1.0f;
  if (lc.owns_kv && w->attn_k.data == nullptr) {
    return NotFound("tensor '" + n(names::kAttnK) + "' missing");
  }
  return OkStatus();
}

}  // namespace

Result<ModelWeights> BindWeights(const gguf::GgufFile& file,
                                 const ModelConfig& c) {
  Binder b(file);
  ModelWeights w;
  const uint64_t d = c.n_embd, V = c.n_vocab;
  const uint64_t lp = uint64_t{c.n_layer} * c.n_embd_per_layer;
  VIGIL_RETURN_IF_ERROR(Matrix(b, names::kTokenEmbd, d, V, &w.token_embd));
  if (lp > 0) {
    VIGIL_RETURN_IF_ERROR(Matrix(b, names::kPerLayerTokenEmbd, lp, V,
                                   &w.per_layer_token_embd));
    // Read one row per token: keep it out of 2 MiB pages and readahead.
    gguf::AdviseSparseReads(w.per_layer_token_embd.data,
                            w.per_layer_token_embd.rows *
                                w.per_layer_token_embd.row_bytes);
    VIGIL_RETURN_IF_ERROR(Matrix(b, names::kPerLayerModelProj, d, lp,
                                   &w.per_layer_model_proj));
    VIGIL_RETURN_IF_ERROR(Vector(b, names::kPerLayerProjNorm,
                                   c.n_embd_per_layer,
                                   &w.per_layer_proj_norm));
  }
  VIGIL_RETURN_IF_ERROR(Vector(b, names::kOutputNorm, d, &w.output_norm));
  VIGIL_RETURN_IF_ERROR(
      Vector(b, names::kRopeFreqs, c.n_rot_global / 2, &w.rope_freqs, true));
  if (file.FindTensor(names::kOutput) != nullptr) {
    return Unsupported(
        "tensor 'output.weight' present: Gemma 4 ties the LM head to "
        "token_embd, an untied head is not supported");
  }
  w.layers.resize(c.n_layer);
  for (uint32_t il = 0; il < c.n_layer; ++il) {
    VIGIL_RETURN_IF_ERROR(BindLayer(b, c, static_cast<int>(il), &w.layers[il]));
  }
  return w;
}

}  // namespace vigil::text
