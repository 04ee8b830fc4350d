// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/constrained_decode.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace vigil::grammar {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Ids whose pieces spell exactly `bytes`: the tokenizer's encoding when it
// round-trips, else the longest allowed piece at each position.
std::vector<int32_t> EncodeForced(const ConstrainedContext& ctx,
                                  const std::string& bytes) {
  std::vector<int32_t> ids = ctx.tokenizer.Encode(
      bytes, {.add_bos = false, .parse_special = false});
  std::string spelled;
  for (int32_t id : ids) {
    if (id < 0 || size_t(id) >= ctx.tokens.n_vocab()) return {};
    spelled += ctx.tokens.piece(id);
  }
  return spelled == bytes ? ids : std::vector<int32_t>{};
}

struct Decoder {
  Decoder(text::Session& s, const ConstrainedContext& c,
          const ConstrainedOptions& o)
      : session(s), ctx(c), options(o), state(c.matcher.Start()),
        logits(s.n_vocab()), allowed(s.n_vocab()) {}

  text::Session& session;
  const ConstrainedContext& ctx;
  const ConstrainedOptions& options;
  ConstrainedResult result;
  MatchState state;
  std::vector<float> logits;
  std::vector<uint8_t> allowed;

  bool Fits(size_t n) const {
    return session.position() + n <= session.n_ctx();
  }
  Status Feed(std::span<const int32_t> ids) {
    return session.Forward({.ids = ids, .embeddings = {},
                            .logits = text::LogitsMode::kLast},
                           logits);
  }
  // Chooses the next id (-1: no token fits the grammar).
  int32_t Choose(text::Sampler& sampler);
  void Close() {
    const std::string rest = ctx.matcher.TakeCompletion(&state);
    result.text += rest;
    result.n_closed_bytes += rest.size();
  }
  Status Run(text::Sampler& sampler);
};

int32_t Decoder::Choose(text::Sampler& sampler) {
  const int32_t first = sampler.Sample(logits);
  if (ctx.tokens.Allows(ctx.matcher, state, first)) return first;
  const auto t0 = Clock::now();
  const size_t n = ctx.tokens.Mask(ctx.matcher, state, allowed);
  result.mask_seconds += Since(t0);
  ++result.n_masks;
  if (n == 0) return -1;
  constexpr float kOff = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < logits.size(); ++i) {
    if (!allowed[i]) logits[i] = kOff;
  }
  int32_t id = sampler.Sample(logits);
  // Rounding in the sampler's tail can land on a masked entry.
  if (id < 0 || size_t(id) >= allowed.size() || !allowed[size_t(id)]) {
    id = text::ArgMax(logits);
  }
  return id;
}

Status Decoder::Run(text::Sampler& sampler) {
  const auto start = Clock::now();
  while (!ctx.matcher.IsComplete(state)) {
    MatchState before = state;
    const std::string forced = ctx.matcher.TakeForced(&state);
    if (!forced.empty()) {
      result.text += forced;
      if (ctx.matcher.IsComplete(state)) break;  // the model need not see it
      std::vector<int32_t> ids = EncodeForced(ctx, forced);
      if (ids.empty() || !Fits(ids.size() + 1)) {
        state = before;
        result.text.resize(result.text.size() - forced.size());
        break;
      }
      VIGIL_RETURN_IF_ERROR(Feed(ids));
      result.n_forced += ids.size();
      ++result.n_forced_batches;
      continue;
    }
    if (result.n_sampled >= size_t(options.max_tokens) || !Fits(2)) break;
    const int32_t id = Choose(sampler);
    if (id < 0) break;
    const std::string& piece = ctx.tokens.piece(id);
    if (!ctx.matcher.Accepts(&state, piece)) break;  // cannot happen
    result.text += piece;
    ++result.n_sampled;
    if (ctx.matcher.IsComplete(state)) break;
    VIGIL_RETURN_IF_ERROR(Feed({&id, 1}));
  }
  if (!ctx.matcher.IsComplete(state)) Close();
  result.generate_seconds = Since(start);
  return OkStatus();
}

}  // namespace

std::vector<std::string> VocabPieces(const tokenizer::Tokenizer& tok,
                                     size_t n_vocab) {
  std::vector<std::string> pieces(n_vocab);
  for (size_t id = 0; id < n_vocab && id < size_t(tok.size()); ++id) {
    // Only text: markup tokens (`<|channel>`, `<tool_call|>`, ...) render
    // literally but must never appear inside a constrained document.
    const tokenizer::TokenType type = tok.vocab().Type(int32_t(id));
    if (type != tokenizer::TokenType::kNormal &&
        type != tokenizer::TokenType::kByte) {
      continue;
    }
    tok.AppendPiece(int32_t(id), {}, &pieces[id]);
  }
  return pieces;
}

Result<ConstrainedResult> GenerateConstrained(
    text::Session& session, std::span<const int32_t> prompt,
    const ConstrainedContext& ctx, const ConstrainedOptions& options) {
  VIGIL_RETURN_IF_ERROR(text::ValidateSamplerOptions(options.sampling));
  if (prompt.empty()) return InvalidArgument("prompt is empty");
  if (options.max_tokens < 0) {
    return InvalidArgument("max_tokens must be >= 0, got " +
                           std::to_string(options.max_tokens));
  }
  const size_t n_vocab = session.n_vocab();
  Decoder d(session, ctx, options);
  if (ctx.tokens.n_vocab() > n_vocab) {
    return InvalidArgument("token index has " +
                           std::to_string(ctx.tokens.n_vocab()) +
                           " entries but the model's vocabulary " +
                           std::to_string(n_vocab));
  }
  d.result.n_prompt = prompt.size();
  const auto t0 = Clock::now();
  VIGIL_RETURN_IF_ERROR(d.Feed(prompt));
  d.result.prompt_seconds = Since(t0);
  text::Sampler sampler(options.sampling, n_vocab);
  VIGIL_RETURN_IF_ERROR(d.Run(sampler));
  return std::move(d.result);
}

}  // namespace vigil::grammar
