// SPDX-License-Identifier: Apache-2.0
// Vision encoder benchmark: encode time of a 1920x1080 frame per soft-token
// budget (70..1120) at 1 and 2 threads on a full-size random-weight mmproj
// (tools/make_bench_mmproj), plus peak resident memory.
// usage: bench_vision MMPROJ.gguf [--threads 1,2] [--budgets 70,140,...]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
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

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_vision MMPROJ.gguf [--threads 1,2] "
                         "[--budgets 70,140,280,560,1120]\n");
    return 2;
  }
  std::vector<int> threads = {1, 2}, budgets = {70, 140, 280, 560, 1120};
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads = ParseList(argv[i + 1]);
    if (a == "--budgets") budgets = ParseList(argv[i + 1]);
  }
  auto model = mm::VisionModel::Load(argv[1]);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 1;
  }
  std::printf("%-7s %-11s %-7s %-8s %-7s %10s %12s %10s\n", "budget", "size",
              "tokens", "patches", "threads", "encode ms", "patches/s",
              "peak MiB");
  for (int budget : budgets) {
    auto size = vision::GemmaTargetSize({1920, 1080},
                                        vision::LimitsForBudget(budget));
    const int gw = size.value().width / 16, gh = size.value().height / 16;
    std::vector<float> pixels(size_t(gw) * gh * 768);
    for (size_t i = 0; i < pixels.size(); ++i) {
      pixels[i] = float((i * 2654435761u) % 256) / 255.0f;
    }
    for (int nt : threads) {
      kernels::ThreadPool pool(nt);
      const auto start = std::chrono::steady_clock::now();
      auto out = mm::EncodeImage(*model.value(),
                                 {.grid_w = uint32_t(gw),
                                  .grid_h = uint32_t(gh),
                                  .data = pixels},
                                 pool);
      const double ms = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      if (!out.ok()) {
        std::fprintf(stderr, "%s\n", out.status().ToString().c_str());
        return 1;
      }
      std::printf("%-7d %4dx%-6d %-7zu %-8d %-7d %10.1f %12.1f %10.1f\n",
                  budget, size.value().width, size.value().height,
                  out.value().n_tokens, gw * gh, nt, ms,
                  gw * gh / (ms / 1000.0), PeakRssMiB());
      std::fflush(stdout);
    }
  }
  return 0;
}
