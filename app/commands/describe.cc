// SPDX-License-Identifier: Apache-2.0
// `vigil describe --image`: load a Gemma 4 text GGUF and its mmproj,
// preprocess and encode one image, place its soft tokens in the prompt and
// stream the answer with timings; optional golden-check dumps (embeddings,
// logits, ids). With --audio the audio path (describe_audio.cc) runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands/describe_audio.h"
#include "app/commands/describe_flags.h"
#include "app/commands/engine_cli.h"
#include "app/commands/inference_commands.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/tokenizer/chat_template.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"
#include "inference/vision/image_prompt.h"

namespace vigil::app {
namespace {

// Returns the ids around the image. Text prompts go through the chat
// template; its `<|image|>` becomes `<|image>` + soft tokens + `<image|>`
// (spec §5.1). With raw ids the image replaces the placeholder id alone.
Result<mm::SplitPrompt> BuildPrompt(const DescribeFlags& f,
                                    const tokenizer::Tokenizer& tok) {
  VIGIL_ASSIGN_OR_RETURN(int32_t placeholder, tok.SpecialTokenId("<|image|>"));
  if (!f.prompt_ids.empty()) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<int32_t> ids, ParseIds(f.prompt_ids));
    return mm::SplitAtPlaceholder(ids, placeholder);
  }
  tokenizer::ChatMessage user{.role = tokenizer::ChatRole::kUser, .parts = {}};
  user.parts.push_back({.kind = tokenizer::PartKind::kImage, .text = {}});
  user.parts.push_back({.kind = tokenizer::PartKind::kText, .text = UserPrompt(f)});
  VIGIL_ASSIGN_OR_RETURN(std::string text, tokenizer::RenderChat({&user, 1}));
  std::vector<int32_t> ids = tok.Encode(text, {.add_bos = true, .parse_special = true});
  VIGIL_ASSIGN_OR_RETURN(mm::SplitPrompt split,
                         mm::SplitAtPlaceholder(ids, placeholder));
  VIGIL_ASSIGN_OR_RETURN(int32_t boi, tok.SpecialTokenId("<|image>"));
  VIGIL_ASSIGN_OR_RETURN(int32_t eoi, tok.SpecialTokenId("<image|>"));
  split.before.push_back(boi);
  split.after.insert(split.after.begin(), eoi);
  return split;
}

void PrintTimings(const ImageStepSeconds& image,
                  const text::GenerateStats& st, double prefill_s,
                  size_t n_prompt) {
  auto rate = [](size_t n, double s) { return s > 0 ? n / s : 0.0; };
  std::fprintf(stderr,
               "\npreprocess: %.3f s\nencode: %.3f s\n"
               "prefill: %zu tokens in %.3f s (%.2f tokens/s)\n"
               "generate: %zu tokens in %.3f s (%.2f tokens/s)\n",
               image.preprocess, image.encode, n_prompt, prefill_s,
               rate(n_prompt, prefill_s), st.n_generated, st.generate_seconds,
               rate(st.n_generated, st.generate_seconds));
}

Status DescribeImage(const DescribeFlags& f) {
  VIGIL_ASSIGN_OR_RETURN(auto model, text::Model::Load(f.model));
  VIGIL_ASSIGN_OR_RETURN(auto vision, mm::VisionModel::Load(f.mmproj));
  VIGIL_RETURN_IF_ERROR(vision->CheckTextModel(model->config().n_embd));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok,
                         tokenizer::Tokenizer::FromGguf(model->file()));
  VIGIL_ASSIGN_OR_RETURN(mm::SplitPrompt prompt, BuildPrompt(f, tok));
  if (prompt.after.empty()) {
    return InvalidArgument("the prompt must continue after the image");
  }
  kernels::ThreadPool pool(ThreadsOrAllCores(f.threads));
  ImageStepSeconds image_s;
  VIGIL_ASSIGN_OR_RETURN(mm::SoftTokens image,
                         EncodeImageFlag(f, *vision, pool, &image_s));
  if (!f.embeddings_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteDump(f.embeddings_out, image.data.data(),
                                    image.data.size() * sizeof(float)));
  }
  const size_t n_prompt =
      prompt.before.size() + image.n_tokens + prompt.after.size();
  const size_t n_ctx = std::min<size_t>(
      model->config().n_ctx_train, n_prompt + size_t(f.max_tokens) + 1);
  VIGIL_ASSIGN_OR_RETURN(
      auto session,
      text::Session::Create(
          *model, pool,
          {.n_ctx = n_ctx,
           .max_ubatch = std::max<size_t>(512, image.n_tokens),
           .precision = f.precision,
           .on_tensor = {}}));
  const auto start = std::chrono::steady_clock::now();
  VIGIL_RETURN_IF_ERROR(mm::PrefillImage(
      *session, prompt.before, image,
      f.causal ? mm::ImageAttention::kCausal
               : mm::ImageAttention::kBidirectional));
  const double image_prefill =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  VIGIL_ASSIGN_OR_RETURN(text::GenerateStats st,
                         StreamAnswer(*session, tok, prompt.after,
                                      f.max_tokens, f.sampling, f.dumps));
  PrintTimings(image_s, st, image_prefill + st.prompt_seconds, n_prompt);
  return OkStatus();
}

}  // namespace

int RunDescribeCommand(const std::vector<std::string>& args) {
  return RunCommand("describe", args, kDescribeUsage, ParseDescribeFlags,
                    [](const DescribeFlags& f) {
                      return f.audio.empty() ? DescribeImage(f)
                                             : DescribeAudio(f);
                    });
}

}  // namespace vigil::app
