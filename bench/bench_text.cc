// SPDX-License-Identifier: Apache-2.0
// Text decoder benchmark on a full-size model (tools/make_bench_model writes
// random-weight E2B/E4B files): prompt processing and generation tokens/s,
// time to first token, peak RSS, and how close generation gets to the
// memory-bandwidth bound (weight bytes read per token / measured bandwidth).
//
//   bench_text MODEL.gguf [--threads 1,2] [--prompt 512] [--gen 128]
//              [--reps 1]
//
// Token ids are random like llama-bench's pp/tg tests, and as there tg runs
// from an empty context (TTFT is the prompt's). A short warm-up pass
// pages the weights in first (llama-bench warms up too). The output is a
// markdown table per thread count.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/text/model.h"

namespace vigil::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// Bytes of weights a single decode step streams from memory: every matmul
// weight that runs for the last token, the LM head included. Embedding
// lookups read one row each and are negligible.
double WeightBytesPerToken(const text::Model& model) {
  const auto& w = model.weights();
  auto bytes = [](const kernels::WeightMatrix& m) {
    return m.data ? static_cast<double>(m.rows * m.row_bytes) : 0.0;
  };
  const auto& cfg = model.config();
  double total = bytes(w.token_embd) + bytes(w.per_layer_model_proj);
  for (size_t l = 0; l < w.layers.size(); ++l) {
    const auto& L = w.layers[l];
    total += bytes(L.attn_q) + bytes(L.attn_output) + bytes(L.ffn_gate) +
             bytes(L.ffn_up) + bytes(L.ffn_down) + bytes(L.inp_gate) +
             bytes(L.proj);
    if (cfg.layers[l].owns_kv) total += bytes(L.attn_k) + bytes(L.attn_v);
  }
  return total;
}

// Measures sustained read bandwidth with `n_threads` readers over a buffer
// much larger than the caches (GB/s).
double ReadBandwidthGBs(kernels::ThreadPool& pool) {
  const size_t n = size_t{1} << 28;  // 1 GiB of floats
  std::vector<float> buf(n, 1.0f);
  std::vector<double> sums(pool.size(), 0.0);
  double best = 0.0;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = Clock::now();
    pool.ParallelFor(n / 4096, 1, [&](size_t b, size_t e, int t) {
      float acc[16] = {};
      for (size_t i = b * 4096; i < e * 4096; i += 16) {
        for (int j = 0; j < 16; ++j) acc[j] += buf[i + j];
      }
      double s = 0;
      for (float a : acc) s += a;
      sums[t] += s;
    });
    const double dt = Seconds(t0, Clock::now());
    best = std::max(best, n * sizeof(float) / dt / 1e9);
  }
  if (sums[0] < 0) std::puts("");  // keep the reads alive
  return best;
}

struct Row {
  int threads;
  double pp_tps, tg_tps, ttft_ms, bandwidth, fraction;
};

Row RunOnce(const text::Model& model, int threads, int n_prompt, int n_gen,
            bool measure_bandwidth = true) {
  kernels::ThreadPool pool(threads);
  text::SessionOptions opt;
  opt.n_ctx = n_prompt + n_gen + 8;
  opt.max_ubatch = 512;
  auto session = text::Session::Create(model, pool, opt);
  if (!session.ok()) {
    std::fprintf(stderr, "%s\n", session.status().ToString().c_str());
    std::exit(1);
  }
  std::mt19937 rng(1234);
  const int32_t n_vocab = static_cast<int32_t>(model.config().n_vocab);
  std::uniform_int_distribution<int32_t> pick(4, n_vocab - 1);
  std::vector<int32_t> prompt(n_prompt);
  for (auto& id : prompt) id = pick(rng);
  prompt[0] = 2;  // <bos>
  std::vector<float> logits(n_vocab);

  const auto t0 = Clock::now();
  text::Batch batch{.ids = prompt, .logits = text::LogitsMode::kLast};
  if (auto s = (*session)->Forward(batch, logits); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::exit(1);
  }
  const auto t1 = Clock::now();
  int32_t next = static_cast<int32_t>(
      std::max_element(logits.begin(), logits.end()) - logits.begin());
  const Clock::time_point first_token = Clock::now();
  // Generation from an empty context, as llama-bench's tg test: a fresh
  // session decodes n_gen tokens one at a time from <bos>.
  auto gen_session = text::Session::Create(model, pool, opt);
  if (!gen_session.ok()) {
    std::fprintf(stderr, "%s\n", gen_session.status().ToString().c_str());
    std::exit(1);
  }
  next = 2;  // <bos>
  const auto t_gen = Clock::now();
  for (int i = 0; i < n_gen; ++i) {
    text::Batch one{.ids = {&next, 1}, .logits = text::LogitsMode::kLast};
    if (auto s = (*gen_session)->Forward(one, logits); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      std::exit(1);
    }
    next = static_cast<int32_t>(
        std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  const auto t2 = Clock::now();
  Row r{threads, n_prompt / Seconds(t0, t1), n_gen / Seconds(t_gen, t2),
        1e3 * Seconds(t0, first_token), 0, 0};
  if (!measure_bandwidth) return r;
  r.bandwidth = ReadBandwidthGBs(pool);
  r.fraction = r.tg_tps * WeightBytesPerToken(model) / 1e9 / r.bandwidth;
  return r;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bench_text MODEL.gguf [--threads 1,2] [--prompt 512]"
                 " [--gen 128] [--reps 1]\n");
    return 2;
  }
  std::string path = argv[1], threads_arg = "1,2";
  int n_prompt = 512, n_gen = 128, reps = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads_arg = argv[i + 1];
    else if (a == "--prompt") n_prompt = std::atoi(argv[i + 1]);
    else if (a == "--gen") n_gen = std::atoi(argv[i + 1]);
    else if (a == "--reps") reps = std::atoi(argv[i + 1]);
  }
  const auto t_load = Clock::now();
  auto model = text::Model::Load(path);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 1;
  }
  const double load_s = Seconds(t_load, Clock::now());
  const double wbytes = WeightBytesPerToken(**model);
  std::printf("model: %s (load %.2f s, %.2f GB of weights read per token)\n",
              path.c_str(), load_s, wbytes / 1e9);
  std::printf("| threads | pp%d t/s | tg%d t/s | TTFT ms | read GB/s |"
              " tg bandwidth fraction | peak RSS MiB |\n",
              n_prompt, n_gen);
  std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  // Warm-up, as llama-bench does: the first pass pays the mmap page-ins.
  RunOnce(**model, 1, 32, 2, /*measure_bandwidth=*/false);
  size_t pos = 0;
  while (pos < threads_arg.size()) {
    const size_t comma = std::min(threads_arg.find(',', pos),
                                  threads_arg.size());
    const int t = std::atoi(threads_arg.substr(pos, comma - pos).c_str());
    pos = comma + 1;
    Row best{t, 0, 0, 1e30, 0, 0};
    for (int r = 0; r < reps; ++r) {
      const Row row = RunOnce(**model, t, n_prompt, n_gen);
      best.pp_tps = std::max(best.pp_tps, row.pp_tps);
      best.tg_tps = std::max(best.tg_tps, row.tg_tps);
      best.ttft_ms = std::min(best.ttft_ms, row.ttft_ms);
      best.bandwidth = std::max(best.bandwidth, row.bandwidth);
      best.fraction = std::max(best.fraction, row.fraction);
    }
    std::printf("| %d | %.2f | %.2f | %.0f | %.1f | %.0f%% | %.0f |\n",
                best.threads, best.pp_tps, best.tg_tps, best.ttft_ms,
                best.bandwidth, 100 * best.fraction, PeakRssMiB());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) { return vigil::bench::Main(argc, argv); }
