// SPDX-License-Identifier: Apache-2.0
#include "inference/text/weights.h"

#include <string>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"

namespace vigil::text {
namespace {

namespace names = vigil::gguf::tensor;

std::string ShapeString(std::initializer_list<uint64_t> ne) {
  std::string s = "[";
  for (uint64_t v : ne) s += (s.size() > 1 ? ", " : "") + std::to_string(v);
  return s + "]";
}

// Looks tensors up and checks them; remembers nothing between calls.
class Binder {
 public:
  explicit Binder(const gguf::GgufFile& file) : file_(file) {}

  // Returns the tensor, nullptr if optional and absent, or an error.
  Result<const gguf::TensorInfo*> Find(const std::string& name,
                                       std::initializer_list<uint64_t> ne,
                                       bool optional) const {
    const gguf::TensorInfo* t = file_.FindTensor(name);
    if (t == nullptr) {
      if (optional) return static_cast<const gguf::TensorInfo*>(nullptr);
      return NotFound("tensor '" + name + "' missing from " + file_.path());
    }
    uint64_t want[gguf::kMaxDims] = {1, 1, 1, 1};
    size_t i = 0;
    for (uint64_t v : ne) want[i++] = v;
    for (size_t d = 0; d < gguf::kMaxDims; ++d) {
      if (t->ne[d] != want[d]) {
        return Corrupt("tensor '" + name + "' has wrong shape; expected " +
                       ShapeString(ne) + ", got " + t->ShapeString());
      }
    }
    return t;
  }

  // A 2-D weight `ne = [in, out]` of any type the kernels compute with.
  Status Matrix(const std::string& name, uint64_t in, uint64_t out,
                WeightMatrix* m, bool optional = false) const {
    VIGIL_ASSIGN_OR_RETURN(const gguf::TensorInfo* t,
                           Find(name, {in, out}, optional));
    if (t == nullptr) return OkStatus();
    const gguf::TypeTraits traits =
        gguf::GetTypeTraits(static_cast<uint32_t>(t->type));
    if (!gguf::IsSupportedWeightType(t->type)) {
      return Unsupported("tensor '" + name + "' has type " +
                         (traits.name ? traits.name : "unknown") +
                         ", which this engine cannot compute with");
    }
    m->type = t->type;
    m->data = t->data;
    m->rows = out;
    m->cols = in;
    m->row_bytes = gguf::RowBytes(t->type, in);
    return OkStatus();
  }

  // A 1-D float32 vector of `n` values (norm weights and the like).
  Status Vector(const std::string& name, uint64_t n, const float** v,
                bool optional = false) const {
    VIGIL_ASSIGN_OR_RETURN(const gguf::TensorInfo* t,
                           Find(name, {n}, optional));
    if (t == nullptr) return OkStatus();
    if (t->type != gguf::GgmlType::kF32) {
      const gguf::TypeTraits traits =
          gguf::GetTypeTraits(static_cast<uint32_t>(t->type));
      return Unsupported("tensor '" + name + "' has type " +
                         (traits.name ? traits.name : "unknown") +
                         "; expected F32 for a 1-D weight");
    }
    *v = reinterpret_cast<const float*>(t->data);
    return OkStatus();
  }

 private:
  const gguf::GgufFile& file_;
};

Status BindLayer(const Binder& b, const ModelConfig& c, int il,
                 LayerWeights* w) {
  const LayerConfig& lc = c.layers[il];
  const uint64_t d = c.n_embd, D = lc.head_dim;
  const uint64_t P = c.n_embd_per_layer;
  auto n = [il](const char* suffix) { return gguf::BlockTensor(il, suffix); };
  // K/V tensors are unused on KV-shared layers and may be absent (§1.7 (*)).
  const bool kv_optional = !lc.owns_kv;
  VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kAttnNorm), d, &w->attn_norm));
  VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kAttnQ), d, lc.q_width(), &w->attn_q));
  VIGIL_RETURN_IF_ERROR(
      b.Matrix(n(names::kAttnK), d, lc.kv_width(), &w->attn_k, kv_optional));
  // attn_v may be absent on k=v models (V = raw K projection).
  VIGIL_RETURN_IF_ERROR(
      b.Matrix(n(names::kAttnV), d, lc.kv_width(), &w->attn_v, true));
  VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kAttnQNorm), D, &w->attn_q_norm));
  VIGIL_RETURN_IF_ERROR(
      b.Vector(n(names::kAttnKNorm), D, &w->attn_k_norm, kv_optional));
  VIGIL_RETURN_IF_ERROR(
      b.Matrix(n(names::kAttnOutput), lc.q_width(), d, &w->attn_output));
  VIGIL_RETURN_IF_ERROR(
      b.Vector(n(names::kPostAttentionNorm), d, &w->post_attention_norm));
  VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kFfnNorm), d, &w->ffn_norm));
  VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kFfnGate), d, lc.n_ff, &w->ffn_gate));
  VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kFfnUp), d, lc.n_ff, &w->ffn_up));
  VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kFfnDown), lc.n_ff, d, &w->ffn_down));
  VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kPostFfwNorm), d, &w->post_ffw_norm));
  if (P > 0) {
    VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kInpGate), d, P, &w->inp_gate));
    VIGIL_RETURN_IF_ERROR(b.Matrix(n(names::kProj), P, d, &w->proj));
    VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kPostNorm), d, &w->post_norm));
  }
  const float* scale = nullptr;
  VIGIL_RETURN_IF_ERROR(b.Vector(n(names::kLayerOutputScale), 1, &scale, true));
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
  VIGIL_RETURN_IF_ERROR(b.Matrix(names::kTokenEmbd, d, V, &w.token_embd));
  if (lp > 0) {
    VIGIL_RETURN_IF_ERROR(b.Matrix(names::kPerLayerTokenEmbd, lp, V,
                                   &w.per_layer_token_embd));
    VIGIL_RETURN_IF_ERROR(b.Matrix(names::kPerLayerModelProj, d, lp,
                                   &w.per_layer_model_proj));
    VIGIL_RETURN_IF_ERROR(b.Vector(names::kPerLayerProjNorm,
                                   c.n_embd_per_layer,
                                   &w.per_layer_proj_norm));
  }
  VIGIL_RETURN_IF_ERROR(b.Vector(names::kOutputNorm, d, &w.output_norm));
  VIGIL_RETURN_IF_ERROR(
      b.Vector(names::kRopeFreqs, c.n_rot_global / 2, &w.rope_freqs, true));
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
