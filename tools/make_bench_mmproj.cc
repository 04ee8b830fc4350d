// SPDX-License-Identifier: Apache-2.0
// Writes a full-size random-weight Gemma 4 vision mmproj (real E2B/E4B
// shapes, spec/gemma4-vision-audio.md §1, §2.3) for bench/bench_vision.
// usage: make_bench_mmproj OUT.gguf [--n-text 1536|2560] [--type f16|f32|q8_0]
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "inference/gguf/names.h"
#include "inference/gguf/types.h"
#include "inference/gguf/writer.h"
#include "inference/kernels/scalar_ref.h"

namespace vigil {
namespace {

using gguf::GgmlType;
namespace k = gguf::key;
namespace t = gguf::tensor;

// Deterministic value in [-scale, scale] for element `i` (splitmix64).
float Value(uint64_t seed, uint64_t i, float scale) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + i;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return scale * (float((z >> 40) & 0xFFFFFF) / float(1 << 23) - 1.0f);
}

class Builder {
 public:
  gguf::GgufWriter w;
  uint64_t seed = 1;

  Status Tensor(const std::string& name, GgmlType type,
                std::vector<uint64_t> ne, float scale, float offset = 0.0f) {
    const uint64_t s = ++seed;
    const uint64_t cols = ne[0];
    return w.AddTensorStreamed(
        name, type, ne, [=](uint64_t off, std::span<uint8_t> chunk) {
          if (type == GgmlType::kQ8_0) {  // 34-byte blocks of 32
            for (size_t b = 0; b < chunk.size(); ++b) {
              const uint64_t pos = off + b, blk = pos / 34, in = pos % 34;
              chunk[b] = in < 2 ? uint8_t(in == 0 ? 0x00 : 0x20)  // ~0.0078
                                : uint8_t(int8_t(Value(s, blk * 32 + in, 127)));
            }
            return OkStatus();
          }
          const size_t es = type == GgmlType::kF32 ? 4 : 2;
          for (size_t b = 0; b < chunk.size(); ++b) {
            const uint64_t e = (off + b) / es;
            const float v = offset + Value(s, e, scale);
            uint8_t bytes[4];
            if (es == 4) {
              std::memcpy(bytes, &v, 4);
            } else {
              const uint16_t h = kernels::F32ToF16(v);
              std::memcpy(bytes, &h, 2);
            }
            chunk[b] = bytes[(off + b) % es];
          }
          (void)cols;
          return OkStatus();
        });
  }
};

Status Build(const std::string& out, uint32_t n_text, GgmlType wt) {
  const uint32_t d = 768, ff = 3072, L = 16, H = 12, P = 10240, hd = d / H;
  Builder b;
  auto& w = b.w;
  w.AddString(k::kArchitecture, k::kArchClip);
  w.AddString(k::kType, k::kTypeMmproj);
  w.AddString(k::kName, "mmproj gemma4 bench (random weights)");
  w.AddBool(k::kClipHasVision, true);
  w.AddBool(k::kClipHasAudio, false);
  w.AddString(k::kVisionProjectorType, k::kProjectorGemma4v);
  w.AddU32(k::kVisionImageSize, 224);
  w.AddU32(k::kVisionPatchSize, 16);
  w.AddU32(k::kVisionEmbeddingLength, d);
  w.AddU32(k::kVisionFeedForwardLength, ff);
  w.AddU32(k::kVisionBlockCount, L);
  w.AddU32(k::kVisionHeadCount, H);
  w.AddF32(k::kVisionLayerNormEps, 1e-6f);
  w.AddU32(k::kVisionProjectionDim, n_text);
  // Identity normalization, as Gemma 4 files carry (llama.cpp requires both).
  const float mean[3] = {0.0f, 0.0f, 0.0f}, stdv[3] = {1.0f, 1.0f, 1.0f};
  w.AddF32Array(k::kVisionImageMean, mean);
  w.AddF32Array(k::kVisionImageStd, stdv);
  const float sd = 1.7f / std::sqrt(float(d)), sf = 1.7f / std::sqrt(float(ff));
  // The patch kernel is F16 in "f16" files, F32 otherwise (spec §2.3).
  const GgmlType pt = wt == GgmlType::kF16 ? GgmlType::kF16 : GgmlType::kF32;
  VIGIL_RETURN_IF_ERROR(b.Tensor(t::kVPatchEmbd, pt, {16, 16, 3, d}, 0.06f));
  VIGIL_RETURN_IF_ERROR(b.Tensor(t::kVPositionEmbd, GgmlType::kF32, {d, P, 2}, 0.5f));
  for (uint32_t il = 0; il < L; ++il) {
    auto n = [il](const char* s) { return gguf::VisionBlockTensor(il, s); };
    for (const char* s : {t::kVLn1, t::kVLn2, t::kVAttnPostNorm, t::kVFfnPostNorm}) {
      VIGIL_RETURN_IF_ERROR(b.Tensor(n(s), GgmlType::kF32, {d}, 0.1f, 1.0f));
    }
    for (const char* s : {t::kVAttnQNorm, t::kVAttnKNorm}) {
      VIGIL_RETURN_IF_ERROR(b.Tensor(n(s), GgmlType::kF32, {hd}, 0.1f, 0.7f));
    }
    for (const char* s : {t::kVAttnQ, t::kVAttnK, t::kVAttnV, t::kVAttnOut}) {
      VIGIL_RETURN_IF_ERROR(b.Tensor(n(s), wt, {d, d}, sd));
    }
    VIGIL_RETURN_IF_ERROR(b.Tensor(n(t::kVFfnGate), wt, {d, ff}, sd));
    VIGIL_RETURN_IF_ERROR(b.Tensor(n(t::kVFfnUp), wt, {d, ff}, sd));
    VIGIL_RETURN_IF_ERROR(b.Tensor(n(t::kVFfnDown), wt, {ff, d}, sf));
  }
  VIGIL_RETURN_IF_ERROR(b.Tensor(t::kMmInputProjection, wt, {d, n_text}, sd));
  return w.WriteFile(out);
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_bench_mmproj OUT.gguf [--n-text 1536|2560]"
                         " [--type f16|f32|q8_0]\n");
    return 2;
  }
  uint32_t n_text = 1536;
  vigil::gguf::GgmlType type = vigil::gguf::GgmlType::kF16;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--n-text") n_text = uint32_t(std::stoul(v));
    if (a == "--type") {
      type = v == "f32"    ? vigil::gguf::GgmlType::kF32
             : v == "q8_0" ? vigil::gguf::GgmlType::kQ8_0
                           : vigil::gguf::GgmlType::kF16;
    }
  }
  vigil::Status st = vigil::Build(argv[1], n_text, type);
  if (!st.ok()) {
    std::fprintf(stderr, "make_bench_mmproj: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
