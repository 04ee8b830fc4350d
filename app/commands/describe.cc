// SPDX-License-Identifier: Apache-2.0
// `vigil describe`: load a Gemma 4 text GGUF and its mmproj, preprocess and
// encode one image, place its soft tokens in the prompt and stream the
// answer with timings; optional golden-check dumps (embeddings, logits, ids).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/commands/describe_audio.h"
#include "app/commands/inference_commands.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"
#include "inference/vision/image_prompt.h"
#include "vision/gemma_preprocess.h"

namespace vigil::app {
namespace {

struct DescribeFlags {
  std::string model, mmproj, image, prompt = "Describe this image.";
  std::string prompt_ids, embeddings_out, logits_out, ids_out;
  int budget = 280, min_tokens = 0, max_tokens_image = 0;
  int max_tokens = 256, threads = 0;
  bool greedy = false, causal = false, float32 = false;
  float temp = 1.0f;
  uint64_t seed = 0;
};

constexpr char kUsage[] =
    "usage: vigil describe --model TEXT.gguf --mmproj MMPROJ.gguf --image FILE\n"
    "  [--budget 70|140|280|560|1120] [--image-min-tokens N]\n"
    "  [--image-max-tokens N] [--prompt TEXT | --prompt-ids 2,105,...]\n"
    "  [--threads N] [--max-tokens N] [--greedy] [--temp T] [--seed S]\n"
    "  [--causal] [--precision quantized|float32] [--embeddings-out FILE]\n"
    "  [--logits-out FILE] [--ids-out FILE]\n";

template <typename T>
Result<T> ParseNumber(const std::string& flag, const std::string& s) {
  std::istringstream in(s);
  T v{};
  if (!(in >> v) || !in.eof()) {
    return InvalidArgument(flag + ": not a number: '" + s + "'");
  }
  return v;
}

Status ParseFlag(const std::vector<std::string>& args, size_t* i,
                 DescribeFlags* f) {
  const std::string& a = args[*i];
  if (a == "--greedy") { f->greedy = true; return OkStatus(); }
  if (a == "--causal") { f->causal = true; return OkStatus(); }
  if (*i + 1 >= args.size()) return InvalidArgument(a + " needs a value");
  const std::string& v = args[++*i];
  if (a == "--model") f->model = v;
  else if (a == "--mmproj") f->mmproj = v;
  else if (a == "--image") f->image = v;
  else if (a == "--prompt") f->prompt = v;
  else if (a == "--prompt-ids") f->prompt_ids = v;
  else if (a == "--embeddings-out") f->embeddings_out = v;
  else if (a == "--logits-out") f->logits_out = v;
  else if (a == "--ids-out") f->ids_out = v;
  else if (a == "--precision") {
    if (v != "quantized" && v != "float32") {
      return InvalidArgument("--precision must be 'quantized' or 'float32'");
    }
    f->float32 = v == "float32";
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
    VIGIL_ASSIGN_OR_RETURN(f->temp, ParseNumber<float>(a, v));
  } else if (a == "--seed") {
    VIGIL_ASSIGN_OR_RETURN(f->seed, ParseNumber<uint64_t>(a, v));
  } else {
    return InvalidArgument("unknown flag '" + a + "'");
  }
  return OkStatus();
}

Result<DescribeFlags> ParseFlags(const std::vector<std::string>& args) {
  DescribeFlags f;
  for (size_t i = 0; i < args.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(ParseFlag(args, &i, &f));
  }
  if (f.model.empty() || f.mmproj.empty() || f.image.empty()) {
    return InvalidArgument("--model, --mmproj and --image are required");
  }
  if (!vision::IsGemmaBudget(f.budget)) {
    return InvalidArgument("--budget must be one of 70, 140, 280, 560, 1120; "
                           "got " + std::to_string(f.budget));
  }
  if (f.max_tokens < 0) return InvalidArgument("--max-tokens must be >= 0");
  if (f.threads < 0 || f.threads > 256) {
    return InvalidArgument("--threads must be in [1, 256]");
  }
  return f;
}

// Reads a whole file of at most `max_bytes` (checked before reading).
Result<std::vector<uint8_t>> ReadFile(const std::string& path,
                                      uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read '" + path + "': " + ec.message());
  if (size > max_bytes) {
    return OutOfRange("'" + path + "' is " + std::to_string(size) +
                      " bytes; images up to " + std::to_string(max_bytes) +
                      " bytes are accepted");
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return IoError("cannot read '" + path + "'");
  return bytes;
}

// Writes `n` bytes to `path` via a temporary and a rename.
Status WriteAtomically(const std::string& path, const void* data, size_t n) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return IoError("cannot write '" + tmp + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError("cannot rename '" + tmp + "' to '" + path + "'");
  }
  return OkStatus();
}

// Returns the ids around the image. Text prompts go through the chat
// template; its `<|image|>` becomes `<|image>` + soft tokens + `<image|>`
// (spec §5.1). With raw ids the image replaces the placeholder id alone.
Result<mm::SplitPrompt> BuildPrompt(const DescribeFlags& f,
                                    const tokenizer::Tokenizer& tok) {
  VIGIL_ASSIGN_OR_RETURN(int32_t placeholder, tok.SpecialTokenId("<|image|>"));
  std::vector<int32_t> ids;
  if (!f.prompt_ids.empty()) {
    std::stringstream in(f.prompt_ids);
    std::string item;
    while (std::getline(in, item, ',')) {
      VIGIL_ASSIGN_OR_RETURN(int32_t id,
                             ParseNumber<int32_t>("--prompt-ids", item));
      ids.push_back(id);
    }
    return mm::SplitAtPlaceholder(ids, placeholder);
  }
  tokenizer::ChatMessage user{.role = tokenizer::ChatRole::kUser, .parts = {}};
  user.parts.push_back({.kind = tokenizer::PartKind::kImage, .text = {}});
  user.parts.push_back({.kind = tokenizer::PartKind::kText, .text = f.prompt});
  VIGIL_ASSIGN_OR_RETURN(std::string text, tokenizer::RenderChat({&user, 1}));
  ids = tok.Encode(text, {.add_bos = true, .parse_special = true});
  VIGIL_ASSIGN_OR_RETURN(mm::SplitPrompt split,
                         mm::SplitAtPlaceholder(ids, placeholder));
  VIGIL_ASSIGN_OR_RETURN(int32_t boi, tok.SpecialTokenId("<|image>"));
  VIGIL_ASSIGN_OR_RETURN(int32_t eoi, tok.SpecialTokenId("<image|>"));
  split.before.push_back(boi);
  split.after.insert(split.after.begin(), eoi);
  return split;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

namespace {

struct Timings {
  double preprocess = 0, encode = 0, prefill = 0, generate = 0;
  size_t n_prompt = 0, n_generated = 0;
};

// Decode, resize and encode the image; prints `image: WxH -> N tokens`.
Result<mm::SoftTokens> EncodeStep(const DescribeFlags& f,
                                  const mm::VisionModel& vision,
                                  kernels::ThreadPool& pool, Timings* t) {
  auto start = std::chrono::steady_clock::now();
  vision::GemmaPreprocessOptions opt;
  opt.limits = vision::LimitsForBudget(f.budget);
  if (f.min_tokens > 0) opt.limits.min_tokens = f.min_tokens;
  if (f.max_tokens_image > 0) opt.limits.max_tokens = f.max_tokens_image;
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                         ReadFile(f.image, opt.decode.max_bytes));
  auto patches = vision::PreprocessForGemma(bytes, opt);
  if (!patches.ok()) return patches.status().WithContext(f.image);
  const vision::GemmaPatches& p = patches.value();
  t->preprocess = Seconds(start);
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
                      {.precision = f.float32
                                        ? kernels::MatMulPrecision::kFloat32
                                        : kernels::MatMulPrecision::
                                              kQuantizedActivations,
                       .gelu_fp16_table = false,
                       .on_tensor = {}}));
  t->encode = Seconds(start);
  if (!f.embeddings_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.embeddings_out, tokens.data.data(),
                                          tokens.data.size() * sizeof(float)));
  }
  return tokens;
}

void PrintTimings(const Timings& t) {
  auto rate = [](size_t n, double s) { return s > 0 ? n / s : 0.0; };
  std::fprintf(stderr,
               "\npreprocess: %.3f s\nencode: %.3f s\n"
               "prefill: %zu tokens in %.3f s (%.2f tokens/s)\n"
               "generate: %zu tokens in %.3f s (%.2f tokens/s)\n",
               t.preprocess, t.encode, t.n_prompt, t.prefill,
               rate(t.n_prompt, t.prefill), t.n_generated, t.generate,
               rate(t.n_generated, t.generate));
}

Status Run(const DescribeFlags& f) {
  VIGIL_ASSIGN_OR_RETURN(auto model, text::Model::Load(f.model));
  VIGIL_ASSIGN_OR_RETURN(auto vision, mm::VisionModel::Load(f.mmproj));
  VIGIL_RETURN_IF_ERROR(vision->CheckTextModel(model->config().n_embd));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok,
                         tokenizer::Tokenizer::FromGguf(model->file()));
  VIGIL_ASSIGN_OR_RETURN(mm::SplitPrompt prompt, BuildPrompt(f, tok));
  if (prompt.after.empty()) {
    return InvalidArgument("the prompt must continue after the image");
  }
  const int threads =
      f.threads > 0 ? f.threads
                    : int(std::max(1u, std::thread::hardware_concurrency()));
  kernels::ThreadPool pool(threads);
  Timings t;
  VIGIL_ASSIGN_OR_RETURN(mm::SoftTokens image, EncodeStep(f, *vision, pool, &t));
  t.n_prompt = prompt.before.size() + image.n_tokens + prompt.after.size();
  const size_t n_ctx = std::min<size_t>(
      model->config().n_ctx_train, t.n_prompt + size_t(f.max_tokens) + 1);
  VIGIL_ASSIGN_OR_RETURN(
      auto session,
      text::Session::Create(
          *model, pool,
          {.n_ctx = n_ctx,
           .max_ubatch = std::max<size_t>(512, image.n_tokens),
           .precision = f.float32 ? kernels::MatMulPrecision::kFloat32
                                  : kernels::MatMulPrecision::kQuantizedActivations,
           .on_tensor = {}}));
  auto start = std::chrono::steady_clock::now();
  VIGIL_RETURN_IF_ERROR(mm::PrefillImage(
      *session, prompt.before, image,
      f.causal ? mm::ImageAttention::kCausal
               : mm::ImageAttention::kBidirectional));
  const double image_prefill = Seconds(start);
  std::vector<int32_t> stop_ids, generated;
  for (int32_t id = 0; id < tok.size(); ++id) {
    if (tok.IsEndOfGeneration(id)) stop_ids.push_back(id);
  }
  std::vector<float> logits;
  text::SamplerOptions sampling;
  sampling.greedy = f.greedy;
  sampling.temperature = f.temp;
  sampling.seed = f.seed;
  std::string piece;
  VIGIL_ASSIGN_OR_RETURN(
      text::GenerateStats st,
      text::Generate(*session, prompt.after,
                     {.max_tokens = f.max_tokens, .sampling = sampling,
                      .stop_ids = stop_ids, .prompt_logits = &logits},
                     [&](int32_t id) {
                       generated.push_back(id);
                       piece.clear();
                       tok.AppendPiece(id, {}, &piece);
                       std::fwrite(piece.data(), 1, piece.size(), stdout);
                       std::fflush(stdout);
                       return true;
                     }));
  t.prefill = image_prefill + st.prompt_seconds;
  t.generate = st.generate_seconds;
  t.n_generated = st.n_generated;
  PrintTimings(t);
  if (!f.logits_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.logits_out, logits.data(),
                                          logits.size() * sizeof(float)));
  }
  if (!f.ids_out.empty()) {
    std::string s;
    for (int32_t id : generated) s += std::to_string(id) + "\n";
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.ids_out, s.data(), s.size()));
  }
  return OkStatus();
}

}  // namespace

int RunDescribeCommand(const std::vector<std::string>& args) {
  // Audio (with or without --image) lives in describe_audio.cc.
  if (std::find(args.begin(), args.end(), "--audio") != args.end()) {
    return RunDescribeAudioCommand(args);
  }
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto flags = ParseFlags(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "vigil describe: %s\n%s",
                 flags.status().message().c_str(), kUsage);
    return 2;
  }
  Status st = Run(flags.value());
  if (!st.ok()) {
    std::fprintf(stderr, "vigil describe: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace vigil::app
