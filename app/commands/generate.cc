// SPDX-License-Identifier: Apache-2.0
// `vigil generate`: load a Gemma 4 GGUF, build the prompt (chat template or
// raw ids), stream generated text, report speed; optional golden-check dumps.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands/engine_cli.h"
#include "app/commands/inference_commands.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::app {
namespace {

struct GenerateFlags {
  std::string model, prompt, prompt_file, prompt_ids, system;
  std::string logits_out, ids_out;
  kernels::MatMulPrecision precision =
      kernels::MatMulPrecision::kQuantizedActivations;
  bool think = false;
  int max_tokens = 256;
  int threads = 0;
  size_t ctx = 0;
  bool has_temp = false, has_top_k = false, has_top_p = false;
  text::SamplerOptions sampling;
};

constexpr char kUsage[] =
    "usage: vigil generate --model FILE [--prompt TEXT | --prompt-file F | "
    "--prompt-ids 2,105,...]\n"
    "  [--system TEXT] [--think] [--max-tokens N] [--temp T] [--top-k K]\n"
    "  [--top-p P] [--min-p M] [--seed S] [--greedy] [--threads N] [--ctx N]\n"
    "  [--precision quantized|float32] [--logits-out FILE] [--ids-out FILE]\n";

Status ParseFlag(const std::vector<std::string>& args, size_t* i,
                 GenerateFlags* f) {
  const std::string& a = args[*i];
  auto value = [&]() -> Result<std::string> {
    if (*i + 1 >= args.size()) return InvalidArgument(a + " needs a value");
    return args[++*i];
  };
  if (a == "--think") { f->think = true; return OkStatus(); }
  if (a == "--greedy") { f->sampling.greedy = true; return OkStatus(); }
  VIGIL_ASSIGN_OR_RETURN(std::string v, value());
  if (a == "--model") f->model = v;
  else if (a == "--prompt") f->prompt = v;
  else if (a == "--prompt-file") f->prompt_file = v;
  else if (a == "--prompt-ids") f->prompt_ids = v;
  else if (a == "--system") f->system = v;
  else if (a == "--logits-out") f->logits_out = v;
  else if (a == "--ids-out") f->ids_out = v;
  else if (a == "--precision") {
    VIGIL_ASSIGN_OR_RETURN(f->precision, ParsePrecision(v));
  } else if (a == "--max-tokens") {
    VIGIL_ASSIGN_OR_RETURN(f->max_tokens, ParseNumber<int>(a, v));
  } else if (a == "--threads") {
    VIGIL_ASSIGN_OR_RETURN(f->threads, ParseNumber<int>(a, v));
  } else if (a == "--ctx") {
    VIGIL_ASSIGN_OR_RETURN(f->ctx, ParseNumber<size_t>(a, v));
  } else if (a == "--temp") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.temperature, ParseNumber<float>(a, v));
    f->has_temp = true;
  } else if (a == "--top-k") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.top_k, ParseNumber<int>(a, v));
    f->has_top_k = true;
  } else if (a == "--top-p") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.top_p, ParseNumber<float>(a, v));
    f->has_top_p = true;
  } else if (a == "--min-p") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.min_p, ParseNumber<float>(a, v));
  } else if (a == "--seed") {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.seed, ParseNumber<uint64_t>(a, v));
  } else {
    return InvalidArgument("unknown flag '" + a + "'");
  }
  return OkStatus();
}

Result<GenerateFlags> ParseFlags(const std::vector<std::string>& args) {
  GenerateFlags f;
  for (size_t i = 0; i < args.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(ParseFlag(args, &i, &f));
  }
  if (f.model.empty()) return InvalidArgument("--model is required");
  const int sources = !f.prompt.empty() + !f.prompt_file.empty() +
                      !f.prompt_ids.empty();
  if (sources != 1) {
    return InvalidArgument(
        "give exactly one of --prompt, --prompt-file, --prompt-ids");
  }
  if (f.max_tokens < 0) return InvalidArgument("--max-tokens must be >= 0");
  VIGIL_RETURN_IF_ERROR(CheckThreads(f.threads));
  return f;
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read prompt file '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Text prompts go through the Gemma 4 chat template; ids are used raw.
Result<std::vector<int32_t>> BuildPrompt(const GenerateFlags& f,
                                         const tokenizer::Tokenizer& tok) {
  if (!f.prompt_ids.empty()) return ParseIds(f.prompt_ids);
  std::string user = f.prompt;
  if (!f.prompt_file.empty()) {
    VIGIL_ASSIGN_OR_RETURN(user, ReadText(f.prompt_file));
  }
  std::vector<tokenizer::ChatMessage> messages;
  if (!f.system.empty()) {
    messages.push_back(
        tokenizer::ChatMessage::Text(tokenizer::ChatRole::kSystem, f.system));
  }
  messages.push_back(
      tokenizer::ChatMessage::Text(tokenizer::ChatRole::kUser, user));
  VIGIL_ASSIGN_OR_RETURN(
      std::string rendered,
      tokenizer::RenderChat(messages, {.enable_thinking = f.think}));
  return tok.Encode(rendered, {.add_bos = true, .parse_special = true});
}

// Sampling defaults: the file's general.sampling.* keys, else spec §5.5.
Status ApplyFileDefaults(const gguf::GgufFile& file, GenerateFlags* f) {
  if (!f->has_temp) {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.temperature,
                           file.GetF32Or(gguf::key::kSamplingTemp, 1.0f));
  }
  if (!f->has_top_k) {
    VIGIL_ASSIGN_OR_RETURN(uint32_t k,
                           file.GetU32Or(gguf::key::kSamplingTopK, 64));
    f->sampling.top_k = static_cast<int>(k);
  }
  if (!f->has_top_p) {
    VIGIL_ASSIGN_OR_RETURN(f->sampling.top_p,
                           file.GetF32Or(gguf::key::kSamplingTopP, 0.95f));
  }
  return OkStatus();
}

void PrintStats(const text::GenerateStats& st) {
  auto rate = [](size_t n, double s) { return s > 0 ? n / s : 0.0; };
  std::fprintf(stderr,
               "\nprompt: %zu tokens in %.3f s (%.2f tokens/s)\n"
               "generation: %zu tokens in %.3f s (%.2f tokens/s)\n",
               st.n_prompt, st.prompt_seconds,
               rate(st.n_prompt, st.prompt_seconds), st.n_generated,
               st.generate_seconds, rate(st.n_generated, st.generate_seconds));
}

Status Run(GenerateFlags f) {
  VIGIL_ASSIGN_OR_RETURN(auto model, text::Model::Load(f.model));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok,
                         tokenizer::Tokenizer::FromGguf(model->file()));
  VIGIL_RETURN_IF_ERROR(ApplyFileDefaults(model->file(), &f));
  VIGIL_ASSIGN_OR_RETURN(std::vector<int32_t> prompt, BuildPrompt(f, tok));
  const size_t train_ctx = model->config().n_ctx_train;
  const size_t want = prompt.size() + static_cast<size_t>(f.max_tokens) + 1;
  const size_t n_ctx = f.ctx > 0 ? f.ctx : std::min(train_ctx, std::max<size_t>(want, 4096));
  kernels::ThreadPool pool(ThreadsOrAllCores(f.threads));
  VIGIL_ASSIGN_OR_RETURN(
      auto session,
      text::Session::Create(*model, pool,
                            {.n_ctx = n_ctx,
                             .max_ubatch = 512,
                             .precision = f.precision,
                             .on_tensor = {}}));
  VIGIL_ASSIGN_OR_RETURN(
      text::GenerateStats stats,
      StreamAnswer(*session, tok, prompt, f.max_tokens, f.sampling,
                   {.logits_out = f.logits_out, .ids_out = f.ids_out}));
  PrintStats(stats);
  return OkStatus();
}

}  // namespace

int RunGenerateCommand(const std::vector<std::string>& args) {
  return RunCommand("generate", args, kUsage, ParseFlags, Run);
}

}  // namespace vigil::app
