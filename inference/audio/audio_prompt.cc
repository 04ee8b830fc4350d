// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/audio_prompt.h"

#include <algorithm>
#include <string>

namespace vigil::audio {

Status PrefillAudio(text::Session& session, std::span<const int32_t> before,
                    const AudioTokens& audio, size_t max_ubatch) {
  const size_t n_embd = session.model().config().n_embd;
  if (audio.n_embd != n_embd || audio.data.size() != audio.n_tokens * n_embd) {
    return InvalidArgument("audio soft tokens are " +
                           std::to_string(audio.n_embd) +
                           " wide but the text model's n_embd is " +
                           std::to_string(n_embd));
  }
  const size_t need = session.position() + before.size() + audio.n_tokens + 1;
  if (need > session.n_ctx()) {
    return OutOfRange("prompt with audio needs " + std::to_string(need) +
                      " positions but the context holds " +
                      std::to_string(session.n_ctx()));
  }
  if (!before.empty()) {
    VIGIL_RETURN_IF_ERROR(session.Forward(
        {.ids = before, .embeddings = {}, .logits = text::LogitsMode::kNone},
        {}));
  }
  // Causal, so splitting into micro-batches gives the same result.
  const size_t step = std::max<size_t>(1, max_ubatch);
  for (size_t b = 0; b < audio.n_tokens; b += step) {
    const size_t m = std::min(step, audio.n_tokens - b);
    VIGIL_RETURN_IF_ERROR(session.Forward(
        {.ids = {},
         .embeddings = std::span(audio.data).subspan(b * n_embd, m * n_embd),
         .logits = text::LogitsMode::kNone},
        {}));
  }
  return OkStatus();
}

}  // namespace vigil::audio
