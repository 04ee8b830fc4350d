// SPDX-License-Identifier: Apache-2.0
#include "inference/vision/image_prompt.h"

#include <algorithm>
#include <string>

namespace vigil::mm {

Result<SplitPrompt> SplitAtPlaceholder(std::span<const int32_t> ids,
                                       int32_t placeholder) {
  const auto count = std::count(ids.begin(), ids.end(), placeholder);
  if (count != 1) {
    return InvalidArgument("prompt must contain the image placeholder id " +
                           std::to_string(placeholder) + " exactly once, found " +
                           std::to_string(count));
  }
  const auto it = std::find(ids.begin(), ids.end(), placeholder);
  return SplitPrompt{{ids.begin(), it}, {it + 1, ids.end()}};
}

Status PrefillImage(text::Session& session, std::span<const int32_t> before,
                    const SoftTokens& image, ImageAttention attention) {
  const size_t n_embd = session.model().config().n_embd;
  if (image.n_embd != n_embd || image.data.size() != image.n_tokens * n_embd) {
    return InvalidArgument("image soft tokens are " +
                           std::to_string(image.n_embd) +
                           " wide but the text model's n_embd is " +
                           std::to_string(n_embd));
  }
  const size_t need = session.position() + before.size() + image.n_tokens + 1;
  if (need > session.n_ctx()) {
    return OutOfRange("prompt with image needs " + std::to_string(need) +
                      " positions but the context holds " +
                      std::to_string(session.n_ctx()));
  }
  if (!before.empty()) {
    VIGIL_RETURN_IF_ERROR(session.Forward(
        {.ids = before, .embeddings = {}, .logits = text::LogitsMode::kNone},
        {}));
  }
  if (image.n_tokens == 0) return OkStatus();
  return session.Forward(
      {.ids = {},
       .embeddings = image.data,
       .logits = text::LogitsMode::kNone,
       .bidirectional = attention == ImageAttention::kBidirectional},
      {});
}

}  // namespace vigil::mm
