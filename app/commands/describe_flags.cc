// SPDX-License-Identifier: Apache-2.0
#include "app/commands/describe_flags.h"

#include <chrono>
#include <cstdio>

#include "common/file_io.h"
#include "vision/gemma_preprocess.h"

namespace vigil::app {

const char kDescribeUsage[] =
    "usage: vigil describe --model TEXT.gguf --mmproj MMPROJ.gguf\n"
    "  --image FILE | --audio FILE | --image FILE --audio FILE\n"
    "  [--budget 70|140|280|560|1120] [--image-min-tokens N]\n"
    "  [--image-max-tokens N] [--prompt TEXT | --prompt-ids 2,105,...]\n"
    "  [--threads N] [--max-tokens N] [--greedy] [--temp T] [--seed S]\n"
    "  [--causal] [--precision quantized|float32] [--embeddings-out FILE]\n"
    "  [--logits-out FILE] [--ids-out FILE]\n"
    "Audio: WAV (any PCM/float, any rate/channels) or any container libav\n"
    "reads; resampled to 16 kHz mono. Clips over 30 s are encoded in 30 s\n"
    "chunks (the model was trained on clips of at most 30 s).\n"
    "--embeddings-out writes the audio's soft tokens when there is audio,\n"
    "else the image's. --causal (image alone) masks image tokens causally.\n";

namespace {

Status ParseFlag(const std::vector<std::string>& args, size_t* i,
                 DescribeFlags* f) {
  const std::string& a = args[*i];
  if (a == "--greedy") { f->sampling.greedy = true; return OkStatus(); }
  if (a == "--causal") { f->causal = true; return OkStatus(); }
  if (*i + 1 >= args.size()) return InvalidArgument(a + " needs a value");
  const std::string& v = args[++*i];
  if (a == "--model") f->model = v;
  else if (a == "--mmproj") f->mmproj = v;
  else if (a == "--image") f->image = v;
  else if (a == "--audio") f->audio = v;
  else if (a == "--prompt") f->prompt = v;
  else if (a == "--prompt-ids") f->prompt_ids = v;
  else if (a == "--embeddings-out") f->embeddings_out = v;
  else if (a == "--logits-out") f->dumps.logits_out = v;
  else if (a == "--ids-out") f->dumps.ids_out = v;
  else if (a == "--precision") {
    VIGIL_ASSIGN_OR_RETURN(f->precision, ParsePrecision(v));
  } else if (a == "--budget") {
    VIGIL_ASSIGN_OR_RETURN(f->budget, ParseNumber<int>(a, v));
  } else if (a == "--image-min-tokens") {
    VIGIL_ASSIGN_OR_RETURN(f->min_tokens, ParseNumber<int>(a, v));
  } else if (a == "--image-max-tokens") {
    VIGIL_ASSIGN_OR_RETURN(f->max_tokens_image, ParseNumber<int>(a, v));
  } else if (a == "--max-tokens") {
    VIGIL_ASSIGN_OR_RETURN(f->max_tokens, ParseNumber<int>(a, v));
  } else if (a == "--threads") {
    VIGIL_ASSIGN_OR_RETURN(f->threads, ParseNumber<int>(a, v));
  } else if (a == "--temp") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.temperature, ParseNumber<float>(a, v));
  } else if (a == "--seed") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.seed, ParseNumber<uint64_t>(a, v));
  } else {
    return InvalidArgument("unknown flag '" + a + "'");
  }
  return OkStatus();
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

}  // namespace

Result<DescribeFlags> ParseDescribeFlags(const std::vector<std::string>& args) {
  DescribeFlags f;
  for (size_t i = 0; i < args.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(ParseFlag(args, &i, &f));
  }
  if (f.model.empty() || f.mmproj.empty() ||
      (f.image.empty() && f.audio.empty())) {
    return InvalidArgument(
        "--model, --mmproj and --image or --audio (or both) are required");
  }
  if (!vision::IsGemmaBudget(f.budget)) {
    return InvalidArgument("--budget must be one of 70, 140, 280, 560, 1120; "
                           "got " + std::to_string(f.budget));
  }
  if (f.causal && !f.audio.empty()) {
    return InvalidArgument("--causal applies to an image alone, not --audio");
  }
  if (f.max_tokens < 0) return InvalidArgument("--max-tokens must be >= 0");
  VIGIL_RETURN_IF_ERROR(CheckThreads(f.threads));
  return f;
}

std::string UserPrompt(const DescribeFlags& f) {
  if (!f.prompt.empty()) return f.prompt;
  return f.audio.empty() ? "Describe this image." : "Describe this audio.";
}

Result<mm::SoftTokens> EncodeImageFlag(const DescribeFlags& f,
                                       const mm::VisionModel& vision,
                                       kernels::ThreadPool& pool,
                                       ImageStepSeconds* seconds) {
  auto start = std::chrono::steady_clock::now();
  vision::GemmaPreprocessOptions opt;
  opt.limits = vision::LimitsForBudget(f.budget);
  if (f.min_tokens > 0) opt.limits.min_tokens = f.min_tokens;
  if (f.max_tokens_image > 0) opt.limits.max_tokens = f.max_tokens_image;
  auto bytes = ReadFileBytes(f.image, opt.decode.max_bytes);
  if (!bytes.ok()) return bytes.status();
  auto patches = vision::PreprocessForGemma(bytes.value(), opt);
  if (!patches.ok()) return patches.status().WithContext(f.image);
  const vision::GemmaPatches& p = patches.value();
  if (seconds != nullptr) seconds->preprocess += SecondsSince(start);
  std::fprintf(stderr, "image: %dx%d -> %d tokens\n", p.size.width,
               p.size.height, p.n_tokens);
  start = std::chrono::steady_clock::now();
  VIGIL_ASSIGN_OR_RETURN(
      mm::SoftTokens tokens,
      mm::EncodeImage(vision,
                      {.grid_w = uint32_t(p.grid_w),
                       .grid_h = uint32_t(p.grid_h),
                       .data = p.data},
                      pool,
                      {.precision = f.precision,
                       .gelu_fp16_table = false,
                       .on_tensor = {}}));
  if (seconds != nullptr) seconds->encode += SecondsSince(start);
  return tokens;
}

}  // namespace vigil::app
