// SPDX-License-Identifier: Apache-2.0
// EncodeMel / EncodeClip: subsampling (§7.1), the conformer blocks (§7.2),
// the output projection and the projector into the LM space (§7.4).
#include "inference/audio/encoder.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "inference/audio/tower.h"
#include "inference/kernels/ops.h"

namespace vigil::audio {
namespace internal {

namespace {
constexpr size_t kFfnRows = 256;  // rows per chunk of the [rows, n_ff] buffer
}  // namespace

void Tower::Allocate() {
  const size_t d = c.n_embd, win = c.attn_chunk;
  ffn_rows = std::max<size_t>(1, std::min(n, kFfnRows));
  for (auto* b : {&x, &xn, &q, &k, &v, &o}) b->assign(n * d, 0.0f);
  wide.assign(n * 2 * d, 0.0f);
  ff.assign(ffn_rows * c.n_ff, 0.0f);
  rel.assign(win * d, 0.0f);
  // pe(delta) = [sin(delta w_m)..., cos(delta w_m)...], w_m = 1e4^(-m/(h-1)).
  const size_t half = d / 2;
  const double inc = std::log(10000.0) / double(std::max<size_t>(half - 1, 1));
  pe.assign(win * d, 0.0f);
  for (size_t delta = 0; delta < win; ++delta) {
    for (size_t m = 0; m < half; ++m) {
      const float angle =
          float(delta) * static_cast<float>(std::exp(-double(m) * inc));
      pe[delta * d + m] = std::sin(angle);
      pe[delta * d + half + m] = std::cos(angle);
    }
  }
}

namespace {

// §7.4: output projection with bias, weightless RMSNorm, LM projection.
void Project(Tower& t, AudioTokens* out) {
  const size_t n = t.n, od = t.c.output_dim, pd = t.c.projection_dim;
  std::vector<float> y(n * od);
  kernels::MatMul(t.w.output_proj, t.x.data(), n, y.data(), t.pool,
                  t.opt.precision);
  t.ForEach(n, od, [&](size_t p) {
    float* r = &y[p * od];
    kernels::Add(r, t.w.output_bias, od, r);
    kernels::RmsNorm(r, t.w.soft_emb_norm, od, t.c.eps, r);
  });
  t.Emit("out_proj", -1, y.data(), n, od);
  out->n_tokens = n;
  out->n_embd = pd;
  out->data.assign(n * pd, 0.0f);
  kernels::MatMul(t.w.mm_projection, y.data(), n, out->data.data(), t.pool,
                  t.opt.precision);
}

}  // namespace
}  // namespace internal

Result<AudioTokens> EncodeMel(const AudioModel& model, const MelFeatures& mel,
                              kernels::ThreadPool& pool,
                              const AudioEncodeOptions& options) {
  const AudioConfig& c = model.config();
  if (mel.n_mel != c.n_mel || mel.data.size() != mel.n_frames * mel.n_mel) {
    return InvalidArgument("mel features are " + std::to_string(mel.n_frames) +
                           " x " + std::to_string(mel.n_mel) + " with " +
                           std::to_string(mel.data.size()) +
                           " values; the audio tower expects " +
                           std::to_string(c.n_mel) + " mel bins per frame");
  }
  AudioTokens out;
  out.n_embd = c.projection_dim;
  if (mel.n_frames == 0) return out;
  internal::Tower t(c, model.weights(), pool, options);
  t.n = CountAudioTokens(mel.n_frames);
  t.Allocate();
  internal::Subsample(t, mel);
  for (uint32_t il = 0; il < c.n_layer; ++il) {
    const int l = static_cast<int>(il);
    internal::FeedForwardBlock(t, l, /*second=*/false);
    internal::AttentionBlock(t, l);
    internal::LightConvBlock(t, l);
    internal::FeedForwardBlock(t, l, /*second=*/true);
    t.NormRows(t.x.data(), model.weights().layers[il].ln2, t.n, c.n_embd,
               t.x.data());
    t.Emit("layer_out", l, t.x.data(), t.n, c.n_embd);
  }
  internal::Project(t, &out);
  return out;
}

Result<AudioTokens> EncodeClip(const AudioModel& model,
                               std::span<const float> samples,
                               kernels::ThreadPool& pool,
                               const AudioEncodeOptions& options) {
  AudioTokens all;
  all.n_embd = model.config().projection_dim;
  for (std::span<const float> chunk : SplitIntoChunks(samples)) {
    VIGIL_ASSIGN_OR_RETURN(MelFeatures mel, ComputeLogMel(chunk));
    VIGIL_ASSIGN_OR_RETURN(AudioTokens part,
                           EncodeMel(model, mel, pool, options));
    all.data.insert(all.data.end(), part.data.begin(), part.data.end());
    all.n_tokens += part.n_tokens;
  }
  return all;
}

size_t EncodeScratchBytes(const AudioConfig& c, size_t n_frames) {
  const size_t n = CountAudioTokens(n_frames), d = c.n_embd;
  const size_t t1 = (n_frames + 1) / 2, f1 = (c.n_mel + 1) / 2;
  const size_t floats = 8 * n * d + std::min<size_t>(n, 256) * c.n_ff +
                        t1 * f1 * c.conv0_channels * 2 +
                        n * c.output_dim;
  return floats * sizeof(float);
}

}  // namespace vigil::audio
