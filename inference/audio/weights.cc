// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/weights.h"

#include <cmath>
#include <string>

#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/weights/tensor_binder.h"

namespace vigil::audio {

namespace {

namespace names = vigil::gguf::tensor;
using kernels::WeightMatrix;

using Binder = weights::TensorBinder;


void DequantizeAll(const WeightMatrix& m, std::vector<float>* out) {
  out->resize(m.rows * m.cols);
  for (size_t r = 0; r < m.rows; ++r) {
    kernels::DequantizeRow(m, r, out->data() + r * m.cols);
  }
}

float RoundF16(float v) { return kernels::F16ToF32(kernels::F32ToF16(v)); }

Status BindLayer(const Binder& b, const AudioConfig& c, int il,
                 AudioLayerWeights* w) {
  const uint64_t d = c.n_embd, ff = c.n_ff, hd = c.head_dim;
  auto n = [il](const char* s) { return gguf::AudioBlockTensor(il, s); };
  VIGIL_ASSIGN_OR_RETURN(w->ffn_norm, b.Vector(n(names::kAFfnNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_up, b.ClampedMatrix(n(names::kAFfnUp), d, ff));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_down, b.ClampedMatrix(n(names::kAFfnDown), ff, d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_post_norm,
                         b.Vector(n(names::kAFfnPostNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_pre_norm,
                         b.Vector(n(names::kAAttnPreNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_q, b.ClampedMatrix(n(names::kAAttnQ), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_k, b.ClampedMatrix(n(names::kAAttnK), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_v, b.ClampedMatrix(n(names::kAAttnV), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_out, b.ClampedMatrix(n(names::kAAttnOut), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->attn_k_rel,
                         b.Matrix(n(names::kAAttnKRel), {d, d}, d, d));
  VIGIL_ASSIGN_OR_RETURN(w->per_dim_scale,
                         b.Vector(n(names::kAPerDimScale), hd));
  VIGIL_ASSIGN_OR_RETURN(w->per_dim_k_scale,
                         b.Vector(n(names::kAPerDimKScale), hd, true));
  VIGIL_ASSIGN_OR_RETURN(w->attn_post_norm,
                         b.Vector(n(names::kAAttnPostNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->conv_norm, b.Vector(n(names::kAConvNorm), d));
  VIGIL_ASSIGN_OR_RETURN(w->conv_pw1, b.ClampedMatrix(n(names::kAConvPw1), d, 2 * d));
  VIGIL_ASSIGN_OR_RETURN(const gguf::TensorInfo* dw,
                         b.Find(n(names::kAConvDw), {c.dw_kernel, d}, false));
  if (dw->type != gguf::GgmlType::kF32) {
    return Unsupported("tensor '" + n(names::kAConvDw) + "' must be F32");
  }
  w->conv_dw = reinterpret_cast<const float*>(dw->data);
  VIGIL_ASSIGN_OR_RETURN(w->norm_conv, b.Vector(n(names::kANormConv), d));
  VIGIL_ASSIGN_OR_RETURN(w->conv_pw2, b.ClampedMatrix(n(names::kAConvPw2), d, d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_norm_1, b.Vector(n(names::kAFfnNorm1), d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_up_1, b.ClampedMatrix(n(names::kAFfnUp1), d, ff));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_down_1, b.ClampedMatrix(n(names::kAFfnDown1), ff, d));
  VIGIL_ASSIGN_OR_RETURN(w->ffn_post_norm_1,
                         b.Vector(n(names::kAFfnPostNorm1), d));
  VIGIL_ASSIGN_OR_RETURN(w->ln2, b.Vector(n(names::kALn2), d));
  return OkStatus();
}

// The two subsampling convs (§7.1) and the flattening projection.
Status BindSubsampling(const Binder& b, AudioConfig* c, AudioWeights* w) {
  VIGIL_ASSIGN_OR_RETURN(c->conv0_channels, b.Dim(names::kAConv1d0, 3));
  VIGIL_ASSIGN_OR_RETURN(c->conv1_channels, b.Dim(names::kAConv1d1, 3));
  const uint64_t c0 = c->conv0_channels, c1 = c->conv1_channels;
  VIGIL_ASSIGN_OR_RETURN(WeightMatrix k0,
                         b.Matrix(names::kAConv1d0, {3, 3, 1, c0}, 9, c0));
  VIGIL_ASSIGN_OR_RETURN(WeightMatrix k1,
                         b.Matrix(names::kAConv1d1, {3, 3, c0, c1}, 9 * c0, c1));
  DequantizeAll(k0, &w->conv0);
  for (float& v : w->conv0) v = RoundF16(v);
  std::vector<float> raw;
  DequantizeAll(k1, &raw);
  // [c1][c0][kt][kf] -> [c1][kt][kf][c0] so one im2col row is (kt, kf, c0).
  w->conv1.resize(raw.size());
  for (uint64_t o = 0; o < c1; ++o) {
    for (uint64_t i = 0; i < c0; ++i) {
      for (uint64_t k = 0; k < 9; ++k) {
        w->conv1[(o * 9 + k) * c0 + i] = RoundF16(raw[(o * c0 + i) * 9 + k]);
      }
    }
  }
  VIGIL_ASSIGN_OR_RETURN(w->conv0_norm, b.Vector(names::kAConv1d0Norm, c0));
  VIGIL_ASSIGN_OR_RETURN(w->conv1_norm, b.Vector(names::kAConv1d1Norm, c1));
  const uint64_t flat = uint64_t{c->freq_after_convs()} * c1;
  VIGIL_ASSIGN_OR_RETURN(
      w->input_projection,
      b.Matrix(names::kAInputProjection, {flat, c->n_embd}, flat, c->n_embd));
  return OkStatus();
}

}  // namespace

Result<AudioWeights> BindAudioWeights(const gguf::GgufFile& file,
                                      AudioConfig* c) {
  Binder b(file);
  AudioWeights w;
  VIGIL_RETURN_IF_ERROR(BindSubsampling(b, c, &w));
  VIGIL_ASSIGN_OR_RETURN(
      c->dw_kernel, b.Dim(gguf::AudioBlockTensor(0, names::kAConvDw), 0));
  if (c->dw_kernel > 64) {
    return Corrupt("depthwise conv kernel of " + std::to_string(c->dw_kernel) +
                   " taps is implausible (expected 5)");
  }
  w.layers.resize(c->n_layer);
  for (uint32_t il = 0; il < c->n_layer; ++il) {
    VIGIL_RETURN_IF_ERROR(BindLayer(b, *c, static_cast<int>(il), &w.layers[il]));
  }
  VIGIL_ASSIGN_OR_RETURN(c->output_dim, b.Dim(names::kAPreEncodeOut, 1));
  const uint64_t d = c->n_embd, out = c->output_dim;
  VIGIL_ASSIGN_OR_RETURN(w.output_proj,
                         b.Matrix(names::kAPreEncodeOut, {d, out}, d, out));
  VIGIL_ASSIGN_OR_RETURN(w.output_bias,
                         b.Vector(names::kAPreEncodeOutBias, out));
  VIGIL_ASSIGN_OR_RETURN(w.soft_emb_norm,
                         b.Vector(names::kMmASoftEmbNorm, out, true));
  VIGIL_ASSIGN_OR_RETURN(
      w.mm_projection,
      b.Matrix(names::kMmAInputProjection, {out, c->projection_dim}, out,
               c->projection_dim));
  return w;
}

}  // namespace vigil::audio
