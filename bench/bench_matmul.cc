// SPDX-License-Identifier: Apache-2.0
// MatMul throughput on Gemma 4 E2B shapes: GFLOPS (2 * rows * cols * tokens)
// and weight GB/s per type, 1 and 512 tokens, 1 and 2 threads.
// Usage: bench_matmul [--quick] [--threads N] [--type Q4_0] [--tokens 512]
//                     [--shape ffn_up]
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
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--quick") f.quick = true;
    if (a == "--threads" && has_value) f.threads = std::atoi(argv[++i]);
    if (a == "--tokens" && has_value) f.tokens = std::strtoul(argv[++i], nullptr, 10);
    if (a == "--type" && has_value) f.type = argv[++i];
    if (a == "--shape" && has_value) f.shape = argv[++i];
  }
  return vigil::kernels::Run(f);
}
