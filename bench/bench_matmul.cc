// SPDX-License-Identifier: Apache-2.0
// MatMul throughput on Gemma 4 E2B shapes: GFLOPS (2 * rows * cols * tokens)
// and weight GB/s per type, 1 and 512 tokens, 1 and 2 threads.
// Usage: bench_matmul [--quick] [--threads N] [--type Q4_0] [--tokens 512]
//                     [--shape ffn_up]
//        bench_matmul --model q4_0|q4_k_m|q8_0 [--threads N]: every matmul of
//        an E2B forward pass (pp512 unless --tokens 1, then tg), tokens per
//        CPU-second, to set against llama-bench on the same GGUF (matmuls
//        only on our side).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "inference/kernels/matmul.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/kernels/weight_layout.h"

namespace vigil::kernels {
namespace {

using gguf::GgmlType;

struct Shape {
  const char* name;
  size_t cols, rows;  // in, out
};

// Well-formed random weights: random payload, small finite fp16 scales.
std::vector<uint8_t> MakeWeights(GgmlType type, size_t rows, size_t cols) {
  const KernelTypeInfo info = GetKernelTypeInfo(type);
  const size_t n_blocks = rows * cols / info.block_elems;
  std::vector<uint8_t> data(n_blocks * info.block_bytes);
  std::mt19937_64 rng(42);
  for (size_t i = 0; i + 8 <= data.size(); i += 8) {
    const uint64_t v = rng();
    std::memcpy(&data[i], &v, 8);
  }
  const uint16_t small = F32ToF16(0.01f);
  for (size_t b = 0; b < n_blocks; ++b) {
    uint8_t* p = &data[b * info.block_bytes];
    if (type == GgmlType::kBF16) {
      const uint16_t v = F32ToBf16(0.01f * static_cast<float>(b % 7));
      std::memcpy(p, &v, 2);
    } else if (type == GgmlType::kQ6_K) {
      std::memcpy(p + 208, &small, 2);
    } else {
      std::memcpy(p, &small, 2);
      if (type == GgmlType::kQ4_K) std::memcpy(p + 2, &small, 2);
    }
  }
  return data;
}

struct Timing {
  double wall_s;  // per call
  double cpu_s;   // process CPU time per call (all threads)
};

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Wall and CPU time per call; on a shared, loaded machine the CPU time of a
// 1-thread run is the better estimate of unloaded speed.
Timing TimePerCall(const WeightMatrix& w, const std::vector<float>& x,
                   size_t n_tokens, std::vector<float>& y, ThreadPool& pool) {
  using Clock = std::chrono::steady_clock;
  MatMul(w, x.data(), n_tokens, y.data(), pool);  // warm-up
  int reps = 0;
  const auto start = Clock::now();
  const double cpu_start = ProcessCpuSeconds();
  double elapsed = 0.0;
  do {
    MatMul(w, x.data(), n_tokens, y.data(), pool);
    ++reps;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < 0.3 && reps < 200);
  return {elapsed / reps, (ProcessCpuSeconds() - cpu_start) / reps};
}

// One weight of the E2B forward pass (spec/gemma4-text.md §1.7, §2.1).
struct ModelMat {
  std::string name;
  size_t cols, rows;
  GgmlType type;
  bool last_token_only;  // the LM head during prefill
  std::vector<uint8_t> data;
  RowLayout layout = RowLayout::kGguf;
};

// E2B: 35 layers, d 1536, layer pattern 4 S + 1 F, FFN 6144 (layers < 15) or
// 12288, layers >= 15 reuse earlier KV (no k/v). `model` picks the types as
// llama-quantize writes them: Q4_K_M puts attn_v / ffn_down of "more bits"
// layers in Q6_K; token_embd (tied LM head) is Q6_K, per_layer_model_proj
// BF16 (both Q8_0 in the Q8_0 file).
std::vector<ModelMat> E2bMatrices(const std::string& model) {
  const bool q8 = model == "q8_0", km = model == "q4_k_m";
  const GgmlType base = q8 ? GgmlType::kQ8_0 : km ? GgmlType::kQ4_K : GgmlType::kQ4_0;
  const int L = 35;
  std::vector<ModelMat> m;
  auto add = [&](const std::string& n, size_t cols, size_t rows, GgmlType t) {
    m.push_back({n, cols, rows, t, false, MakeWeights(t, rows, cols)});
  };
  int v_count = 0, down_count = 0;
  auto more_bits = [&](int i) { return i < L / 8 || i >= 7 * L / 8 || (i - L / 8) % 3 == 2; };
  add("per_layer_model_proj", 1536, 8960, q8 ? GgmlType::kQ8_0 : GgmlType::kBF16);
  for (int l = 0; l < L; ++l) {
    const bool full = l % 5 == 4;
    const size_t q = full ? 4096 : 2048, kv = full ? 512 : 256;
    const size_t ff = l < 15 ? 6144 : 12288;
    add("attn_q", 1536, q, base);
    if (l < 15) {
      add("attn_k", 1536, kv, base);
      add("attn_v", 1536, kv, km && more_bits(v_count++) ? GgmlType::kQ6_K : base);
    }
    add("attn_output", q, 1536, base);
    add("ffn_gate", 1536, ff, base);
    add("ffn_up", 1536, ff, base);
    add("ffn_down", ff, 1536, km && more_bits(down_count++) ? GgmlType::kQ6_K : base);
    add("inp_gate", 1536, 256, base);
    add("proj", 256, 1536, base);
  }
  add("lm_head", 1536, 262144, q8 ? GgmlType::kQ8_0 : GgmlType::kQ6_K);
  m.back().last_token_only = true;
  return m;
}

// Returns CPU seconds for one pass of every matrix over `n_tokens` tokens.
double ModelPassCpu(std::vector<ModelMat>& mats, size_t n_tokens,
                    ThreadPool& pool) {
  std::vector<float> x(n_tokens * 12288);
  std::vector<float> y(std::max<size_t>(n_tokens * 12288, 262144));
  std::mt19937 rng(1);
  std::normal_distribution<float> nd;
  for (float& v : x) v = nd(rng);
  const double start = ProcessCpuSeconds();
  for (size_t i = 0; i < mats.size(); ++i) {
    ModelMat& mm = mats[i];
    const size_t n = mm.last_token_only ? 1 : n_tokens;
    const WeightMatrix w{mm.type, mm.data.data(), mm.rows, mm.cols,
                         mm.data.size() / mm.rows, mm.layout};
    MatMul(w, x.data(), n, y.data(), pool);
  }
  return ProcessCpuSeconds() - start;
}

int RunModel(const std::string& model, int threads, bool decode_only) {
  std::vector<ModelMat> mats = E2bMatrices(model);
  double bytes = 0, flops_tok = 0;
  for (const ModelMat& mm : mats) {
    bytes += mm.data.size();
    flops_tok += 2.0 * mm.rows * mm.cols;
  }
  ThreadPool pool(threads < 1 ? 1 : threads);
  std::printf("E2B %s matmuls: %zu matrices, %.2f GB, %.2f GFLOP/token\n",
              model.c_str(), mats.size(), bytes * 1e-9, flops_tok * 1e-9);
  ModelPassCpu(mats, 1, pool);  // warm-up: touch every page
  if (!decode_only) {
    const double pp = ModelPassCpu(mats, 512, pool);
    std::printf("pp512: %.2f cpu-s -> %.1f tokens per cpu-s\n", pp, 512 / pp);
  }
  const int n_gen = 8;
  double tg = 0;
  for (int i = 0; i < n_gen; ++i) tg += ModelPassCpu(mats, 1, pool);
  std::printf("tg:    %.3f cpu-s/token -> %.2f tokens per cpu-s, %.1f GB/s\n",
              tg / n_gen, n_gen / tg, bytes * n_gen / tg * 1e-9);
  // What Model::Load does on this CPU (text/decode_layout.h): the matrices
  // that decode faster re-laid in the kQuads layout.
  const double pack_start = ProcessCpuSeconds();
  size_t relaid = 0;
  for (ModelMat& mm : mats) {
    const WeightMatrix w{mm.type, mm.data.data(), mm.rows, mm.cols,
                         mm.data.size() / mm.rows};
    if (!DecodesFasterAsQuads(w)) continue;
    std::vector<uint8_t> quads(mm.data.size());
    RepackQuads(w, 0, mm.rows, quads.data());
    mm.data.swap(quads);
    mm.layout = RowLayout::kQuads;
    ++relaid;
  }
  std::printf("re-laid as quads: %zu matrices in %.2f cpu-s\n", relaid,
              ProcessCpuSeconds() - pack_start);
  ModelPassCpu(mats, 1, pool);  // warm-up
  tg = 0;
  for (int i = 0; i < n_gen; ++i) tg += ModelPassCpu(mats, 1, pool);
  std::printf("tg quads: %.3f cpu-s/token -> %.2f tokens per cpu-s, %.1f GB/s\n",
              tg / n_gen, n_gen / tg, bytes * n_gen / tg * 1e-9);
  return 0;
}

struct Filter {
  bool quick = false;
  int threads = 0;      // 0: 1 and 2
  size_t tokens = 0;    // 0: 1 and 512
  std::string type;     // empty: all
  std::string shape;    // substring of the shape name; empty: all
};

int Run(const Filter& f) {
  const bool quick = f.quick;
  const Shape shapes[] = {{"attn_q 1536->2048", 1536, 2048},
                          {"ffn_up 1536->6144", 1536, 6144},
                          {"ffn_down 6144->1536", 6144, 1536},
                          {"lm_head 1536->262144", 1536, 262144}};
  const GgmlType types[] = {GgmlType::kQ4_0, GgmlType::kQ8_0, GgmlType::kQ4_K,
                            GgmlType::kQ6_K, GgmlType::kBF16};
  const char* names[] = {"Q4_0", "Q8_0", "Q4_K", "Q6_K", "BF16"};
  std::printf("%-22s %-5s %6s %3s %9s %8s %7s %9s %12s\n", "shape", "type",
              "tokens", "thr", "wall ms", "GFLOPS", "GB/s", "cpu ms",
              "GFLOPS/cpu-s");
  for (const Shape& s : shapes) {
    const bool lm_head = s.rows > 100000;
    if (quick && lm_head) continue;
    if (!f.shape.empty() && std::string(s.name).find(f.shape) == std::string::npos) {
      continue;
    }
    for (size_t ti = 0; ti < 5; ++ti) {
      if (!f.type.empty() && f.type != names[ti]) continue;
      const std::vector<uint8_t> data = MakeWeights(types[ti], s.rows, s.cols);
      const WeightMatrix w{types[ti], data.data(), s.rows, s.cols,
                           data.size() / s.rows};
      for (size_t n_tokens : {size_t{1}, size_t{512}}) {
        if (n_tokens > 1 && (lm_head || quick)) continue;  // LM head: last token only
        if (f.tokens != 0 && n_tokens != f.tokens) continue;
        std::vector<float> x(n_tokens * s.cols), y(n_tokens * s.rows);
        std::mt19937 rng(1);
        std::normal_distribution<float> nd;
        for (float& v : x) v = nd(rng);
        for (int threads : {1, 2}) {
          if (f.threads > 0 && threads != f.threads) continue;
          ThreadPool pool(threads);
          const Timing tm = TimePerCall(w, x, n_tokens, y, pool);
          const double sec = tm.wall_s;
          const double flops = 2.0 * s.rows * s.cols * n_tokens;
          std::printf("%-22s %-5s %6zu %3d %9.3f %8.1f %7.1f %9.3f %12.1f\n",
                      s.name, names[ti], n_tokens, threads, sec * 1e3,
                      flops / sec * 1e-9, data.size() / sec * 1e-9,
                      tm.cpu_s * 1e3, flops / tm.cpu_s * 1e-9);
          std::fflush(stdout);
        }
      }
    }
  }
  return 0;
}

}  // namespace
}  // namespace vigil::kernels

int main(int argc, char** argv) {
  vigil::kernels::Filter f;
  std::string model;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--quick") f.quick = true;
    if (a == "--threads" && has_value) f.threads = std::atoi(argv[++i]);
    if (a == "--tokens" && has_value) f.tokens = std::strtoul(argv[++i], nullptr, 10);
    if (a == "--type" && has_value) f.type = argv[++i];
    if (a == "--shape" && has_value) f.shape = argv[++i];
    if (a == "--model" && has_value) model = argv[++i];
  }
  if (!model.empty()) return vigil::kernels::RunModel(model, f.threads, f.tokens == 1);
  return vigil::kernels::Run(f);
}
