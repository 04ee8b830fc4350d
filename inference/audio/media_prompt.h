// SPDX-License-Identifier: Apache-2.0
// One user turn with images and an audio clip (spec/gemma4-vision-audio.md
// §5, §8): the prompt ids split at the media placeholders, each medium
// wrapped in its begin/end markers, and the prefill that feeds text, image
// soft tokens (bidirectional) and audio soft tokens (causal) in prompt
// order. The one implementation behind the engine facade and `vigil
// describe --audio`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/audio/encoder.h"
#include "inference/text/gemma4.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"

namespace vigil::mm {

enum class MediaKind : uint8_t { kImage, kAudio, kSentinel };

// The special tokens around media, looked up in the model's vocabulary.
struct MediaMarkers {
  int32_t image_placeholder = -1;  // <|image|>
  int32_t begin_image = -1;        // <|image>
  int32_t end_image = -1;          // <image|>
  int32_t audio_placeholder = -1;  // <|audio|>; -1 when not needed
  int32_t begin_audio = -1;        // <|audio>
  int32_t end_audio = -1;          // <audio|>
};

// Unsupported naming the missing token; the audio ones only with `audio`.
Result<MediaMarkers> FindMediaMarkers(const tokenizer::Tokenizer& tok,
                                      bool audio);

// `text[i]` precedes `media[i]` (and ends with its begin marker);
// `text.back()` follows the last medium (and starts with its end marker).
struct MediaPrompt {
  std::vector<std::vector<int32_t>> text;
  std::vector<MediaKind> media;

  size_t Count(MediaKind kind) const;
  size_t TextTokens() const;  // all text segments together
};

// Cuts `ids` at every placeholder. With `add_markers` (chat-rendered
// prompts) each medium is wrapped in its begin/end markers; raw id lists
// carry their own.
MediaPrompt SplitAtMedia(std::span<const int32_t> ids, const MediaMarkers& m,
                         bool add_markers);

// What one user turn holds, in this order: images, the audio clip, text.
struct MediaTurn {
  std::string system;  // empty: no system turn
  size_t n_images = 0;
  bool audio = false;
  std::string user;
};

// Renders `turn` with the Gemma 4 chat template (BOS, generation prompt)
// and splits it. InternalError if the template placed a different number
// of media than asked.
Result<MediaPrompt> RenderMediaPrompt(const tokenizer::Tokenizer& tok,
                                      const MediaTurn& turn);

// The encoded media in prompt order of kind: images[k] is the k-th image.
struct MediaInputs {
  std::span<const SoftTokens> images;
  const audio::AudioTokens* audio = nullptr;  // required if the prompt has one
  size_t audio_ubatch = 512;  // causal audio goes in micro-batches
};

// Feeds every text segment but the last, with the media between them, into
// `session` at its current position (no logits); the caller continues with
// `prompt.text.back()`. InvalidArgument when the inputs do not match the
// prompt's media, OutOfRange when the context is too small.
Status PrefillMedia(text::Session& session, const MediaPrompt& prompt,
                    const MediaInputs& inputs);

}  // namespace vigil::mm
