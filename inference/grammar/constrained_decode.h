// SPDX-License-Identifier: Apache-2.0
// Grammar-constrained generation: at each step the sampled token must keep
// the matcher alive (checked first; the full vocabulary mask is computed only
// when it does not, which samples from the same masked distribution), and
// spans the grammar forces are fed to the model as one batch without
// sampling ("tokens skipped").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/grammar/matcher.h"
#include "inference/grammar/token_index.h"
#include "inference/text/gemma4.h"
#include "inference/text/sampling.h"
#include "inference/tokenizer/tokenizer.h"

namespace vigil::grammar {

struct ConstrainedOptions {
  int max_tokens = 512;  // sampled tokens; then the document is closed
  text::SamplerOptions sampling;
};

struct ConstrainedResult {
  std::string text;           // the document (complete per the grammar)
  size_t n_prompt = 0;        // tokens of `prompt`
  size_t n_sampled = 0;       // tokens the model chose
  size_t n_forced = 0;        // grammar-forced tokens fed as batches
  size_t n_forced_batches = 0;
  size_t n_masks = 0;         // full-vocabulary masks computed
  size_t n_closed_bytes = 0;  // bytes appended without the model at the end
  double prompt_seconds = 0;
  double generate_seconds = 0;
  double mask_seconds = 0;
};

// What a run needs besides the session; all must outlive the call.
struct ConstrainedContext {
  const Matcher& matcher;
  const TokenIndex& tokens;
  const tokenizer::Tokenizer& tokenizer;
};

// Feeds `prompt` from the session's position, then generates a document of
// the grammar. The result always completes the grammar: when the token
// budget or the context runs out, or no token fits, the rest is closed with
// `Matcher::TakeCompletion` (counted in n_closed_bytes). Errors only come
// from the session (context too small for the prompt, bad ids).
Result<ConstrainedResult> GenerateConstrained(
    text::Session& session, std::span<const int32_t> prompt,
    const ConstrainedContext& ctx, const ConstrainedOptions& options);

// Returns pieces[id] = the bytes of NORMAL/BYTE token `id` as the tokenizer
// renders it; control, user-defined (markup) and unused tokens, and ids past
// the tokenizer, are empty (never allowed). Sized `n_vocab`.
std::vector<std::string> VocabPieces(const tokenizer::Tokenizer& tok,
                                     size_t n_vocab);

}  // namespace vigil::grammar
