// SPDX-License-Identifier: Apache-2.0
// Places an image's soft tokens into a Gemma 4 prompt (spec/gemma4-vision-
// audio.md §5): the prompt's single image placeholder is replaced by the
// embeddings, which enter the text session unscaled with PLE row 0, as one
// batch, causal (HF) or bidirectional (llama.cpp parity).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "inference/text/gemma4.h"
#include "inference/vision/encoder.h"

namespace vigil::mm {

// The ids around the image placeholder.
struct SplitPrompt {
  std::vector<int32_t> before;  // up to and including `<|image>` if present
  std::vector<int32_t> after;   // from `<image|>` on
};

// Splits `ids` at the one occurrence of `placeholder`. InvalidArgument when
// it occurs zero or several times.
Result<SplitPrompt> SplitAtPlaceholder(std::span<const int32_t> ids,
                                       int32_t placeholder);

// How the soft tokens attend to each other in the language model (§5.3).
enum class ImageAttention { kCausal, kBidirectional };

// Feeds `before` (no logits) and then the image's soft tokens into
// `session` at its current position, so that the caller can continue with
// the text after the image (prefill or `text::Generate`). The image goes in
// one batch, so the session's micro-batch must hold all its tokens.
// InvalidArgument when the embedding width differs from the text model's,
// OutOfRange when the context is too small.
Status PrefillImage(text::Session& session, std::span<const int32_t> before,
                    const SoftTokens& image, ImageAttention attention);

}  // namespace vigil::mm
