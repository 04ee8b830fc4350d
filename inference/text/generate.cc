// SPDX-License-Identifier: Apache-2.0
#include "inference/text/generate.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace vigil::text {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
      .count();
}

Status CheckPrompt(const Session& session, size_t n_prompt,
                   const GenerateOptions& options) {
  if (n_prompt == 0) return InvalidArgument("prompt is empty");
  if (options.max_tokens < 0) {
    return InvalidArgument("max_tokens must be >= 0, got " +
                           std::to_string(options.max_tokens));
  }
  const size_t room = session.n_ctx() - session.position();
  if (n_prompt >= room) {
    return OutOfRange("prompt has " + std::to_string(n_prompt) +
                      " tokens but the context holds only " +
                      std::to_string(room) +
                      " more; shorten the prompt or raise the context size");
  }
  return ValidateSamplerOptions(options.sampling);
}

}  // namespace

Result<GenerateStats> Generate(Session& session,
                               std::span<const int32_t> prompt,
                               const GenerateOptions& options,
                               const TokenCallback& on_token) {
  VIGIL_RETURN_IF_ERROR(CheckPrompt(session, prompt.size(), options));
  const size_t n_vocab = session.n_vocab();
  std::vector<float> logits(n_vocab);
  Sampler sampler(options.sampling, n_vocab);
  GenerateStats stats;
  stats.n_prompt = prompt.size();

  auto start = std::chrono::steady_clock::now();
  VIGIL_RETURN_IF_ERROR(session.Forward(
      Batch{.ids = prompt, .embeddings = {}, .logits = LogitsMode::kLast}, logits));
  stats.prompt_seconds = SecondsSince(start);
  if (options.prompt_logits != nullptr) *options.prompt_logits = logits;

  start = std::chrono::steady_clock::now();
  stats.stop = StopReason::kMaxTokens;
  for (int i = 0; i < options.max_tokens; ++i) {
    int32_t id = sampler.Sample(logits);
    if (std::find(options.stop_ids.begin(), options.stop_ids.end(), id) !=
        options.stop_ids.end()) {
      stats.stop = StopReason::kEndOfGeneration;
      break;
    }
    ++stats.n_generated;
    if (on_token && !on_token(id)) {
      stats.stop = StopReason::kCallback;
      break;
    }
    if (i + 1 == options.max_tokens) break;  // no need to feed the last one
    if (session.position() >= session.n_ctx()) {
      stats.stop = StopReason::kContextFull;
      break;
    }
    VIGIL_RETURN_IF_ERROR(session.Forward(
        Batch{.ids = std::span<const int32_t>(&id, 1),
              .embeddings = {},
              .logits = LogitsMode::kLast},
        logits));
  }
  stats.generate_seconds = SecondsSince(start);
  return stats;
}

}  // namespace vigil::text
