// SPDX-License-Identifier: Apache-2.0
// Places audio soft tokens into a Gemma 4 prompt (spec/gemma4-vision-audio.md
// §8): `<|audio>` + the tokens + `<audio|>`, unscaled, PLE row 0, causal,
// consecutive positions; all 30 s chunks of a clip share one boa/eoa pair.
#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"
#include "inference/audio/encoder.h"
#include "inference/text/gemma4.h"

namespace vigil::audio {

// Special token ids shared by all Gemma 4 vocabularies (spec §1).
inline constexpr int32_t kBeginOfAudio = 256000;     // <|audio>
inline constexpr int32_t kAudioPlaceholder = 258881;  // <|audio|>
inline constexpr int32_t kEndOfAudio = 258883;       // <audio|>

// Feeds `before` (which should end with `<|audio>`; no logits) and then the
// audio soft tokens causally into `session` at its current position, in
// micro-batches the session accepts. The caller continues with `<audio|>`
// and the rest of the prompt. InvalidArgument when the embedding width
// differs from the text model's, OutOfRange when the context is too small.
Status PrefillAudio(text::Session& session, std::span<const int32_t> before,
                    const AudioTokens& audio, size_t max_ubatch);

}  // namespace vigil::audio
