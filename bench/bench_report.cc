// SPDX-License-Identifier: Apache-2.0
// Snapshot-to-report latency by stage with a full-size (random-weight)
// Gemma 4 model: decode JPEG, preprocess, encode (280 soft tokens), prefill,
// constrained generation; tokens the grammar forced (not sampled); reports
// per hour per core. With --audio-s N an N-second synthetic clip goes with
// each snapshot (mmproj with an audio tower) and its encode time is shown. Writes the report JSON schema for the llama.cpp
// comparison (bench/compare_report_llamacpp.sh).
//
// usage: bench_report --model E2B.gguf --mmproj MMPROJ.gguf [--image F.jpg]
//          [--runs 2] [--threads N] [--budget 280] [--max-tokens 160]
//          [--schema-out report.schema.json] [--save-image used.jpg]
//          [--audio-s 10]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/prompt.h"
#include "analysis/report.h"
#include "inference/engine.h"
#include "inference/grammar/schema_compile.h"

namespace vigil {
namespace {

struct Flags {
  std::string model, mmproj, image, schema_out, save_image;
  int runs = 2, threads = 0, budget = 280, max_tokens = 160;
  double audio_s = 0;  // synthetic clip length; 0 = images only
};

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--model") f->model = v;
    else if (a == "--mmproj") f->mmproj = v;
    else if (a == "--image") f->image = v;
    else if (a == "--schema-out") f->schema_out = v;
    else if (a == "--save-image") f->save_image = v;
    else if (a == "--runs") f->runs = std::stoi(v);
    else if (a == "--threads") f->threads = std::stoi(v);
    else if (a == "--budget") f->budget = std::stoi(v);
    else if (a == "--max-tokens") f->max_tokens = std::stoi(v);
    else if (a == "--audio-s") f->audio_s = std::stod(v);
    else return false;
  }
  return !f->model.empty() && !f->mmproj.empty() && f->runs > 0 &&
         f->audio_s >= 0 && f->audio_s <= 120;
}

// `seconds` of 16 kHz mono: a siren-like sweep over low noise.
std::vector<float> SyntheticClip(double seconds) {
  std::vector<float> out(size_t(seconds * 16000));
  uint32_t noise = 12345;
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = double(i) / 16000;
    noise = noise * 1664525u + 1013904223u;
    out[i] = float(0.3 * std::sin(2 * M_PI * (600 + 300 * std::sin(t)) * t) +
                   0.02 * (double(noise >> 8) / (1 << 24) - 0.5));
  }
  return out;
}

// A 1920x1080 synthetic yard with a person-sized block, as JPEG.
std::vector<uint8_t> SyntheticJpeg() {
  cv::Mat img(1080, 1920, CV_8UC3);
  cv::randu(img, cv::Scalar::all(40), cv::Scalar::all(200));
  cv::GaussianBlur(img, img, cv::Size(31, 31), 0);
  cv::rectangle(img, cv::Rect(1400, 500, 120, 360), cv::Scalar(20, 20, 30),
                cv::FILLED);
  std::vector<uint8_t> out;
  cv::imencode(".jpg", img, out, {cv::IMWRITE_JPEG_QUALITY, 90});
  return out;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

int Run(const Flags& f) {
  const int threads =
      f.threads > 0 ? f.threads
                    : int(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<uint8_t> jpeg;
  if (f.image.empty()) {
    jpeg = SyntheticJpeg();
  } else {
    std::ifstream in(f.image, std::ios::binary);
    jpeg.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (!f.save_image.empty()) {
    std::ofstream(f.save_image, std::ios::binary)
        .write(reinterpret_cast<const char*>(jpeg.data()),
               std::streamsize(jpeg.size()));
  }
  const analysis::ReportLimits limits;
  const std::string schema = analysis::ReportJsonSchema(limits);
  if (!f.schema_out.empty()) std::ofstream(f.schema_out) << schema;
  auto grammar = grammar::CompileJsonSchema(schema);
  auto t0 = std::chrono::steady_clock::now();
  auto engine = inference::Engine::Load(
      {.text_model = f.model, .mmproj = f.mmproj, .threads = threads,
       .n_ctx = 2048});
  if (!engine.ok() || !grammar.ok()) {
    std::fprintf(stderr, "bench_report: %s\n",
                 (!engine.ok() ? engine.status() : grammar.status())
                     .ToString().c_str());
    return 1;
  }
  std::printf("model: %s, %d threads, load %.2f s (mmap + vocab index)\n",
              (*engine)->model_name().c_str(), threads, Since(t0));
  std::printf("%-4s %8s %8s %8s %9s %9s %7s %7s %7s %8s %9s\n", "run",
              "decode", "preproc", "encode", "prefill", "generate", "img_tok",
              "sampled", "forced", "mask_ms", "total_s");
  std::vector<float> clip;
  if (f.audio_s > 0) {
    if (!(*engine)->has_audio()) {
      std::fprintf(stderr, "bench_report: --audio-s needs an mmproj with an "
                           "audio tower\n");
      return 1;
    }
    clip = SyntheticClip(f.audio_s);
  }
  double best = 1e30;
  for (int run = 0; run < f.runs; ++run) {
    t0 = std::chrono::steady_clock::now();
    auto img = vision::DecodeImage(jpeg);
    const double decode = Since(t0);
    if (!img.ok()) {
      std::fprintf(stderr, "bench_report: %s\n", img.status().ToString().c_str());
      return 1;
    }
    analysis::PromptContext ctx{.camera = "porch", .local_time = "",
                                .has_crop = false, .previous = std::nullopt,
                                .has_audio = !clip.empty()};
    inference::DescribePrompt prompt = analysis::BuildReportPrompt(limits, ctx);
    prompt.audio = clip;
    inference::DescribeOptions o{.image_budget = f.budget,
                                 .max_tokens = f.max_tokens, .sampling = {}};
    o.sampling.seed = uint64_t(run);
    auto d = (*engine)->Describe({&*img, 1}, prompt, &*grammar, o);
    const double total = Since(t0);
    if (!d.ok()) {
      std::fprintf(stderr, "bench_report: %s\n", d.status().ToString().c_str());
      return 1;
    }
    const auto& t = d->timings;
    const bool valid = analysis::ParseReport(d->text, limits).ok();
    std::printf("%-4d %7.3fs %7.3fs %7.3fs %8.3fs %8.3fs %7zu %7zu %7zu %8.1f "
                "%9.2f %s\n",
                run, decode, t.preprocess_s, t.encode_s, t.prefill_s,
                t.generate_s, t.n_image_tokens, t.n_sampled, t.n_forced,
                t.mask_s * 1000, total, valid ? "valid" : "INVALID");
    std::printf("     prompt %zu tokens (%.1f tok/s prefill), generate %.2f "
                "tok/s incl. forced; closed bytes %zu\n",
                t.n_prompt_tokens,
                t.prefill_s > 0 ? t.n_prompt_tokens / t.prefill_s : 0.0,
                t.generate_s > 0 ? (t.n_sampled + t.n_forced) / t.generate_s
                                 : 0.0,
                t.n_closed_bytes);
    if (!clip.empty()) {
      std::printf("     audio %.1f s clip -> %zu tokens, encode %.3f s "
                  "(mel + audio tower)\n",
                  double(clip.size()) / 16000, t.n_audio_tokens,
                  t.audio_encode_s);
    }
    best = std::min(best, total);
  }
  std::printf("best snapshot-to-report: %.2f s -> %.1f reports/hour on %d "
              "threads = %.1f reports/hour/core\n",
              best, 3600.0 / best, threads, 3600.0 / best / threads);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  vigil::Flags f;
  if (!vigil::ParseFlags(argc, argv, &f)) {
    std::fprintf(stderr,
                 "usage: bench_report --model E2B.gguf --mmproj MMPROJ.gguf "
                 "[--image F.jpg] [--runs 2] [--threads N] [--budget 280] "
                 "[--max-tokens 160] [--schema-out FILE] [--audio-s N]\n");
    return 2;
  }
  return vigil::Run(f);
}
