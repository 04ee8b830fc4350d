// SPDX-License-Identifier: Apache-2.0
// The generation loop: prefill a prompt, then sample and feed one token at a
// time, streaming each id to a callback until an end-of-generation id, the
// token limit or the end of the context.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/status.h"
#include "inference/text/gemma4.h"
#include "inference/text/sampling.h"

namespace vigil::text {

enum class StopReason { kEndOfGeneration, kMaxTokens, kContextFull, kCallback };

struct GenerateOptions {
  int max_tokens = 256;             // generated tokens at most (>= 0)
  SamplerOptions sampling;
  std::vector<int32_t> stop_ids;    // end-of-generation ids (not streamed)
  // Optional: receives the logits of the last prompt position (n_vocab).
  std::vector<float>* prompt_logits = nullptr;
};

struct GenerateStats {
  size_t n_prompt = 0;
  size_t n_generated = 0;
  double prompt_seconds = 0.0;
  double generate_seconds = 0.0;
  StopReason stop = StopReason::kMaxTokens;
};

// Called with each generated id; return false to stop.
using TokenCallback = std::function<bool(int32_t id)>;

// Runs `prompt` (token ids, BOS included by the caller) through `session`
// from its current position and generates. OutOfRange "prompt has N tokens
// but the context holds only M" when the prompt does not fit with room for
// one generated token; InvalidArgument for bad options or ids.
Result<GenerateStats> Generate(Session& session,
                               std::span<const int32_t> prompt,
                               const GenerateOptions& options,
                               const TokenCallback& on_token);

}  // namespace vigil::text
