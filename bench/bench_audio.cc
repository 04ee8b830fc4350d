// SPDX-License-Identifier: Apache-2.0
// Audio tower benchmark: writes a full-size random-weight Gemma 4 E2B audio
// tower (1024 hidden, 12 conformer blocks, 8 heads, FFN 4096, subsampling
// 128/32 channels, output 1536, projector to 1536; spec §1/§2.4) as a GGUF
// mmproj with the GGUF writer, then times encoding 5, 10 and 30 s of audio
// (mel + encoder) and reports peak memory.
// usage: bench_audio [--type f16|f32] [--threads N] [--layers N] [--out FILE]
//                    [--keep 1]   (keep the mmproj, e.g. for llama-mtmd-cli;
//                                  bench/compare_audio_llamacpp.sh)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "inference/audio/encoder.h"
#include "inference/gguf/names.h"
#include "inference/gguf/writer.h"
#include "inference/kernels/scalar_ref.h"

namespace {

using namespace vigil;
namespace k = gguf::key;
namespace t = gguf::tensor;

struct Shapes {
  uint64_t d = 1024, ff = 4096, heads = 8, c0 = 128, c1 = 32, out = 1536,
           text = 1536, layers = 12;
};

Status AddRandom(gguf::GgufWriter& w, const std::string& name,
                 std::vector<uint64_t> ne, bool f16, float scale, uint32_t seed) {
  uint64_t n = 1;
  for (uint64_t v : ne) n *= v;
  const bool use_f16 = f16 && ne.size() >= 2 && ne[0] % 32 == 0;
  auto fill = [=](uint64_t off, std::span<uint8_t> chunk) {
    std::mt19937 rng(seed + uint32_t(off));
    std::uniform_real_distribution<float> u(-scale, scale);
    if (use_f16) {
      auto* p = reinterpret_cast<uint16_t*>(chunk.data());
      for (size_t i = 0; i < chunk.size() / 2; ++i) p[i] = kernels::F32ToF16(u(rng));
    } else {
      auto* p = reinterpret_cast<float*>(chunk.data());
      for (size_t i = 0; i < chunk.size() / 4; ++i) p[i] = u(rng);
    }
    return OkStatus();
  };
  (void)n;
  return w.AddTensorStreamed(name, use_f16 ? gguf::GgmlType::kF16 : gguf::GgmlType::kF32,
                             ne, fill);
}

Status WriteTower(const Shapes& s, bool f16, const std::string& path) {
  gguf::GgufWriter w;
  w.AddString(k::kArchitecture, k::kArchClip);
  w.AddBool(k::kClipHasAudio, true);
  w.AddString(k::kAudioProjectorType, k::kProjectorGemma4a);
  w.AddU32(k::kAudioNumMelBins, 128);
  w.AddU32(k::kAudioEmbeddingLength, uint32_t(s.d));
  w.AddU32(k::kAudioFeedForwardLength, uint32_t(s.ff));
  w.AddU32(k::kAudioBlockCount, uint32_t(s.layers));
  w.AddU32(k::kAudioHeadCount, uint32_t(s.heads));
  w.AddF32(k::kAudioLayerNormEps, 1e-6f);  // llama.cpp requires the key
  w.AddU32(k::kAudioProjectionDim, uint32_t(s.text));
  uint32_t seed = 1;
  auto add = [&](const std::string& n, std::vector<uint64_t> ne, float sc = 0.03f) {
    return AddRandom(w, n, std::move(ne), f16, sc, seed++ * 7919);
  };
  const uint64_t hd = s.d / s.heads;
  VIGIL_RETURN_IF_ERROR(add(t::kAConv1d0, {3, 3, 1, s.c0}, 0.3f));
  VIGIL_RETURN_IF_ERROR(add(t::kAConv1d0Norm, {s.c0}, 1.0f));
  VIGIL_RETURN_IF_ERROR(add(t::kAConv1d1, {3, 3, s.c0, s.c1}, 0.03f));
  VIGIL_RETURN_IF_ERROR(add(t::kAConv1d1Norm, {s.c1}, 1.0f));
  VIGIL_RETURN_IF_ERROR(add(t::kAInputProjection, {32 * s.c1, s.d}));
  for (int il = 0; il < int(s.layers); ++il) {
    auto n = [il](const char* x) { return gguf::AudioBlockTensor(il, x); };
    for (const char* v : {t::kAFfnNorm, t::kAFfnPostNorm, t::kAAttnPreNorm, t::kAAttnPostNorm,
                          t::kAConvNorm, t::kANormConv, t::kAFfnNorm1, t::kAFfnPostNorm1, t::kALn2}) {
      VIGIL_RETURN_IF_ERROR(add(n(v), {s.d}, 1.0f));
    }
    for (const char* m : {t::kAAttnQ, t::kAAttnK, t::kAAttnV, t::kAAttnOut, t::kAAttnKRel, t::kAConvPw2}) {
      VIGIL_RETURN_IF_ERROR(add(n(m), {s.d, s.d}));
    }
    VIGIL_RETURN_IF_ERROR(add(n(t::kAFfnUp), {s.d, s.ff}));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAFfnUp1), {s.d, s.ff}));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAFfnDown), {s.ff, s.d}));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAFfnDown1), {s.ff, s.d}));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAConvPw1), {s.d, 2 * s.d}));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAConvDw), {5, s.d}, 0.4f));
    VIGIL_RETURN_IF_ERROR(add(n(t::kAPerDimScale), {hd}, 1.0f));
  }
  VIGIL_RETURN_IF_ERROR(add(t::kAPreEncodeOut, {s.d, s.out}));
  VIGIL_RETURN_IF_ERROR(add(t::kAPreEncodeOutBias, {s.out}, 0.1f));
  VIGIL_RETURN_IF_ERROR(add(t::kMmAInputProjection, {s.out, s.text}));
  return w.WriteFile(path);
}

double UserCpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6;
}

double PeakRssMiB() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return r.ru_maxrss / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  Shapes s;
  bool f16 = true;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  std::string out = "/tmp/vigil_bench_audio_mmproj.gguf";
  bool keep = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--type") f16 = v == "f16";
    else if (a == "--threads") threads = std::stoi(v);
    else if (a == "--layers") s.layers = std::stoul(v);
    else if (a == "--out") out = v;
    else if (a == "--keep") keep = v == "1";
  }
  std::printf("writing %s audio tower (%llu layers) to %s\n", f16 ? "F16" : "F32",
              (unsigned long long)s.layers, out.c_str());
  if (Status st = WriteTower(s, f16, out); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  auto model = audio::AudioModel::Load(out);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 1;
  }
  kernels::ThreadPool pool(threads);
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::printf("threads %d, weights mapped, RSS after load %.0f MiB\n", threads, PeakRssMiB());
  for (double secs : {5.0, 10.0, 30.0}) {
    std::vector<float> pcm(size_t(secs * 16000));
    for (float& v : pcm) v = g(rng);
    const double cpu0 = UserCpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    auto tokens = audio::EncodeClip(*model.value(), pcm, pool);
    const double ms = std::chrono::duration<double, std::milli>(
        std::chrono::steady_clock::now() - t0).count();
    const double cpu_s = UserCpuSeconds() - cpu0;
    if (!tokens.ok()) { std::fprintf(stderr, "%s\n", tokens.status().ToString().c_str()); return 1; }
    std::printf("%4.0f s audio -> %4zu tokens: %8.1f ms (%.2fx real time), "
                "user CPU %.2f s, peak RSS %.0f MiB\n",
                secs, tokens.value().n_tokens, ms, secs * 1000.0 / ms, cpu_s,
                PeakRssMiB());
  }
  if (!keep) std::remove(out.c_str());
  return 0;
}
