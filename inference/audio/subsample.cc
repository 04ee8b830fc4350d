// SPDX-License-Identifier: Apache-2.0
// The subsampling front of the audio tower (spec §7.1). Convolutions run on
// fp16-rounded inputs and kernels with float32 accumulation, as ggml's
// conv_2d does (ref/README.md note 5); the second conv is an im2col matmul.
#include <algorithm>
#include <cmath>

#include "inference/audio/tower.h"
#include "inference/kernels/scalar_ref.h"

namespace vigil::audio::internal {
namespace {

// Time steps per im2col block of the second conv (bounds its buffer).
constexpr size_t kConvRows = 32;

float RoundF16(float v) { return kernels::F16ToF32(kernels::F32ToF16(v)); }

size_t Half(size_t n) { return (n + 1) / 2; }  // floor((n-1)/2)+1 for n >= 1

// LayerNorm over `n` channels (biased variance, no bias), then ReLU.
void LayerNormRelu(float* v, const float* weight, size_t n, float eps) {
  double mean = 0.0;
  for (size_t i = 0; i < n; ++i) mean += v[i];
  mean /= double(n);
  double var = 0.0;
  for (size_t i = 0; i < n; ++i) var += (v[i] - mean) * (v[i] - mean);
  var /= double(n);
  const float scale = static_cast<float>(1.0 / std::sqrt(var + eps));
  for (size_t i = 0; i < n; ++i) {
    const float y = (v[i] - static_cast<float>(mean)) * scale * weight[i];
    v[i] = std::max(0.0f, y);
  }
}

// Layer 0: 1 -> c0 channels. `in` is [T][F] (time-major mel), `out`
// [T1][F1][c0] with the channel fastest.
void Conv0(const Tower& t, const MelFeatures& mel, std::vector<float>* out) {
  const size_t T = mel.n_frames, F = mel.n_mel, c0 = t.c.conv0_channels;
  const size_t T1 = Half(T), F1 = Half(F);
  std::vector<float> in(mel.data.size());
  for (size_t i = 0; i < in.size(); ++i) in[i] = RoundF16(mel.data[i]);
  out->assign(T1 * F1 * c0, 0.0f);
  t.ForEach(T1, F1 * c0 * 9, [&](size_t t1) {
    for (size_t f1 = 0; f1 < F1; ++f1) {
      float patch[9];
      for (size_t kt = 0; kt < 3; ++kt) {
        for (size_t kf = 0; kf < 3; ++kf) {
          const long long ti = 2 * (long long)t1 - 1 + (long long)kt;
          const long long fi = 2 * (long long)f1 - 1 + (long long)kf;
          const bool inside = ti >= 0 && ti < (long long)T && fi >= 0 &&
                              fi < (long long)F;
          patch[kt * 3 + kf] = inside ? in[size_t(ti) * F + size_t(fi)] : 0.0f;
        }
      }
      float* o = &(*out)[(t1 * F1 + f1) * c0];
      for (size_t ch = 0; ch < c0; ++ch) {
        const float* k = &t.w.conv0[ch * 9];
        float acc = 0.0f;
        for (size_t j = 0; j < 9; ++j) acc += k[j] * patch[j];
        o[ch] = acc;
      }
      LayerNormRelu(o, t.w.conv0_norm, c0, t.c.eps);
    }
  });
}

// Layer 1: c0 -> c1 channels over `h0` [T1][F1][c0]; writes [T2][F2*c1].
void Conv1(const Tower& t, std::vector<float>& h0, size_t T1, size_t F1,
           std::vector<float>* out) {
  const size_t c0 = t.c.conv0_channels, c1 = t.c.conv1_channels;
  const size_t T2 = Half(T1), F2 = Half(F1), k = 9 * c0;
  for (float& v : h0) v = RoundF16(v);
  const kernels::WeightMatrix wm{.type = gguf::GgmlType::kF32,
                                 .data = t.w.conv1.data(),
                                 .rows = c1,
                                 .cols = k,
                                 .row_bytes = k * sizeof(float)};
  out->assign(T2 * F2 * c1, 0.0f);
  std::vector<float> cols(std::min(T2, kConvRows) * F2 * k);
  for (size_t tb = 0; tb < T2; tb += kConvRows) {
    const size_t rows = std::min(kConvRows, T2 - tb);
    t.ForEach(rows, F2 * k, [&](size_t r) {
      const size_t t2 = tb + r;
      for (size_t f2 = 0; f2 < F2; ++f2) {
        float* row = &cols[(r * F2 + f2) * k];
        for (size_t kt = 0; kt < 3; ++kt) {
          for (size_t kf = 0; kf < 3; ++kf) {
            const long long ti = 2 * (long long)t2 - 1 + (long long)kt;
            const long long fi = 2 * (long long)f2 - 1 + (long long)kf;
            float* dst = row + (kt * 3 + kf) * c0;
            if (ti < 0 || ti >= (long long)T1 || fi < 0 || fi >= (long long)F1) {
              std::fill(dst, dst + c0, 0.0f);
            } else {
              const float* src = &h0[(size_t(ti) * F1 + size_t(fi)) * c0];
              std::copy(src, src + c0, dst);
            }
          }
        }
      }
    });
    float* o = &(*out)[tb * F2 * c1];
    kernels::MatMul(wm, cols.data(), rows * F2, o, t.pool,
                    kernels::MatMulPrecision::kFloat32);
    t.ForEach(rows * F2, c1, [&](size_t i) {
      LayerNormRelu(o + i * c1, t.w.conv1_norm, c1, t.c.eps);
    });
  }
}

}  // namespace

void Subsample(Tower& t, const MelFeatures& mel) {
  std::vector<float> h0, h1;
  Conv0(t, mel, &h0);
  const size_t T1 = Half(mel.n_frames), F1 = Half(mel.n_mel);
  Conv1(t, h0, T1, F1, &h1);
  t.Emit("conv_out", -1, h1.data(), t.n, h1.size() / std::max<size_t>(t.n, 1));
  kernels::MatMul(t.w.input_projection, h1.data(), t.n, t.x.data(), t.pool,
                  t.opt.precision);
  t.Emit("inp_proj", -1, t.x.data(), t.n, t.c.n_embd);
}

}  // namespace vigil::audio::internal
