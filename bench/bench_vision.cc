// SPDX-License-Identifier: Apache-2.0
// Vision encoder benchmark: encode time of a 1920x1080 frame per soft-token
// budget (70..1120) at 1 and 2 threads on a full-size random-weight mmproj
// (tools/make_bench_mmproj), plus peak resident memory. Reports wall and
// process CPU time (the machine may be shared), GFLOP and GFLOPS per CPU
// second, the best of --reps runs after one warm-up run.
// usage: bench_vision MMPROJ.gguf [--threads 1,2] [--budgets 70,140,...]
//                     [--reps N]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "inference/kernels/thread_pool.h"
#include "inference/vision/encoder.h"
#include "vision/gemma_preprocess.h"

namespace {

std::vector<int> ParseList(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
  return out;
}

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

double CpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Multiply-adds x 2 of the encoder for n patches (linears, attention, patch
// embedding, projection); elementwise work is not counted.
double EncodeGflop(const vigil::mm::VisionConfig& c, double n) {
  const double d = c.n_embd;
  const double per_layer = n * (4 * d * d + 3 * d * c.n_ff) + 2 * n * n * d;
  return 2e-9 * (c.n_layer * per_layer + n * d * 768 +
                 n / 9 * d * c.projection_dim);
}

struct Timing {
  double wall_ms = 1e30, cpu_ms = 1e30;
  size_t tokens = 0;
};

Timing Encode(const vigil::mm::VisionModel& model, int gw, int gh,
              const std::vector<float>& pixels, int threads, int reps) {
  vigil::kernels::ThreadPool pool(threads);
  Timing best;
  for (int r = 0; r <= reps; ++r) {  // run 0 warms up
    const double cpu0 = CpuMs();
    const auto start = std::chrono::steady_clock::now();
    auto out = vigil::mm::EncodeImage(
        model, {.grid_w = uint32_t(gw), .grid_h = uint32_t(gh), .data = pixels},
        pool);
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    const double cpu = CpuMs() - cpu0;
    if (!out.ok()) {
      std::fprintf(stderr, "%s\n", out.status().ToString().c_str());
      std::exit(1);
    }
    best.tokens = out.value().n_tokens;
    if (r == 0 && reps > 0) continue;
    best.wall_ms = std::min(best.wall_ms, ms);
    best.cpu_ms = std::min(best.cpu_ms, cpu);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_vision MMPROJ.gguf [--threads 1,2] "
                         "[--budgets 70,140,280,560,1120] [--reps N]\n");
    return 2;
  }
  std::vector<int> threads = {1, 2}, budgets = {70, 140, 280, 560, 1120};
  int reps = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads = ParseList(argv[i + 1]);
    if (a == "--budgets") budgets = ParseList(argv[i + 1]);
    if (a == "--reps") reps = std::stoi(argv[i + 1]);
  }
  auto model = mm::VisionModel::Load(argv[1]);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 1;
  }
  std::printf("%-7s %-10s %-6s %-7s %-7s %9s %9s %8s %10s %9s\n", "budget",
              "size", "tokens", "patches", "threads", "wall ms", "cpu ms",
              "GFLOP", "GFLOPS/cpu", "peak MiB");
  for (int budget : budgets) {
    auto size = vision::GemmaTargetSize({1920, 1080},
                                        vision::LimitsForBudget(budget));
    const int gw = size.value().width / 16, gh = size.value().height / 16;
    std::vector<float> pixels(size_t(gw) * gh * 768);
    for (size_t i = 0; i < pixels.size(); ++i) {
      pixels[i] = float((i * 2654435761u) % 256) / 255.0f;
    }
    const double gflop = EncodeGflop(model.value()->config(), double(gw) * gh);
    for (int nt : threads) {
      const Timing t = Encode(*model.value(), gw, gh, pixels, nt, reps);
      std::printf("%-7d %4dx%-5d %-6zu %-7d %-7d %9.1f %9.1f %8.1f %10.1f "
                  "%9.1f\n",
                  budget, size.value().width, size.value().height, t.tokens,
                  gw * gh, nt, t.wall_ms, t.cpu_ms, gflop,
                  gflop / (t.cpu_ms / 1000.0), PeakRssMiB());
      std::fflush(stdout);
    }
  }
  return 0;
}
