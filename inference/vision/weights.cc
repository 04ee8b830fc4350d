// SPDX-License-Identifier: Apache-2.0
#include "inference/vision/weights.h"

#include <cmath>
#include <string>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/weights/tensor_binder.h"

namespace vigil::mm {

namespace {

namespace names = vigil::gguf::tensor;
using kernels::WeightMatrix;

using Binder = weights::TensorBinder;


Status BindLayer(const Binder& b, const VisionConfig& c, int il,
                 VisionLayerWeights* w) {
  const uint64_t d = c.n_embd, ff = c.n_ff, hd = c.head_dim;
  auto n = [il](const char* s) { return gguf::VisionBlockTensor(il, s); };
  VIGIL_ASSIGN_OR_RETURN(w->ln1, b.Vector(n(names::kVLn1), d));
  VIGIL_ASSIGN_OR_RETURN(w->ln2, b.Vector(n(names::kVLn2), d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_post_norm,
                         b.Vector(n(names::kVAttnPostNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_post_norm,
                         b.Vector(n(names::kVFfnPostNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_q_norm, b.Vector(n(names::kVAttnQNorm), hd));
  VIGIL_ASSIGN_OR_RETURN(w->attn_k_norm, b.Vector(n(names::kVAttnKNorm), hd));
  VIGIL_ASSIGN_OR_RETURN(w->attn_q, b.ClampedMatrix(n(names::kVAttnQ), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_k, b.ClampedMatrix(n(names::kVAttnK), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_v, b.ClampedMatrix(n(names::kVAttnV), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_out, b.ClampedMatrix(n(names::kVAttnOut), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_gate, b.ClampedMatrix(n(names::kVFfnGate), d, ff));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_up, b.ClampedMatrix(n(names::kVFfnUp), d, ff));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_down, b.ClampedMatrix(n(names::kVFfnDown), ff, d));
  VIGIL_ASSIGN_OR_RETURN(const float* scale,
                         b.Vector(n(names::kVOutScale), 1, true));
  if (scale != nullptr) w->out_scale = *scale;
  return OkStatus();
}

// Dequantizes every row of `m` into `out` (rows * cols floats).
void DequantizeAll(const WeightMatrix& m, std::vector<float>* out) {
  out->resize(m.rows * m.cols);
  for (size_t r = 0; r < m.rows; ++r) {
    kernels::DequantizeRow(m, r, out->data() + r * m.cols);
  }
}

Status BindEmbeddings(const Binder& b, const gguf::GgufFile& file,
                      VisionConfig* c, VisionWeights* w) {
  const uint64_t d = c->n_embd, p = c->patch_size;
  const uint64_t k = 3 * p * p;  // conv kernel ne = [p, p, 3, d]
  VIGIL_ASSIGN_OR_RETURN(WeightMatrix patch,
                         b.Matrix(names::kVPatchEmbd, {p, p, 3, d}, k, d));
  DequantizeAll(patch, &w->patch_embd);
  for (float& v : w->patch_embd) {
    v = kernels::F16ToF32(kernels::F32ToF16(v));
  }
  const gguf::TensorInfo* pos = file.FindTensor(names::kVPositionEmbd);
  if (pos == nullptr) {
    return NotFound(std::string("tensor '") + names::kVPositionEmbd +
                    "' missing from " + file.path());
  }
  const uint64_t n_pos = pos->ne[1];
  if (n_pos < 1 || n_pos > (1u << 20)) {
    return Corrupt(std::string("tensor '") + names::kVPositionEmbd +
                   "' has " + std::to_string(n_pos) + " positions");
  }
  VIGIL_ASSIGN_OR_RETURN(
      WeightMatrix table,
      b.Matrix(names::kVPositionEmbd, {d, n_pos, 2}, d, 2 * n_pos));
  DequantizeAll(table, &w->position_embd);
  c->n_pos = static_cast<uint32_t>(n_pos);
  return OkStatus();
}

}  // namespace

Result<VisionWeights> BindVisionWeights(const gguf::GgufFile& file,
                                        VisionConfig* c) {
  Binder b(file);
  VisionWeights w;
  VIGIL_RETURN_IF_ERROR(BindEmbeddings(b, file, c, &w));
  w.layers.resize(c->n_layer);
  for (uint32_t il = 0; il < c->n_layer; ++il) {
    VIGIL_RETURN_IF_ERROR(BindLayer(b, *c, static_cast<int>(il), &w.layers[il]));
  }
  VIGIL_ASSIGN_OR_RETURN(w.std_bias, b.Vector(names::kVStdBias, c->n_embd, true));
  VIGIL_ASSIGN_OR_RETURN(w.std_scale,
                         b.Vector(names::kVStdScale, c->n_embd, true));
  if ((w.std_bias == nullptr) != (w.std_scale == nullptr)) {
    return Corrupt("mmproj has only one of 'v.std_bias' / 'v.std_scale'");
  }
  VIGIL_ASSIGN_OR_RETURN(
      w.input_projection,
      b.ClampedMatrix(names::kMmInputProjection, c->n_embd, c->projection_dim));
  return w;
}

}  // namespace vigil::mm
