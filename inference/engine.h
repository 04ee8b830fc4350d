// SPDX-License-Identifier: Apache-2.0
// The inference facade: one loaded Gemma 4 model (text + mmproj) that turns
// images, an optional audio clip and a prompt into text, optionally
// constrained by a grammar, with per-stage timings. What the rest of the appliance includes; web/alerts/
// capture never see inference internals.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/status.h"
#include "inference/grammar/grammar.h"
#include "inference/text/sampling.h"
#include "vision/gemma_preprocess.h"

namespace vigil::inference {

struct EngineOptions {
  std::string text_model;  // Gemma 4 text GGUF
  std::string mmproj;      // its projector GGUF (vision, and audio if any)
  int threads = 0;         // 0 = hardware concurrency
  size_t n_ctx = 4096;     // context positions of the one session
  // Binds the mmproj's audio tower when it has one (Gemma 4 E2B/E4B ship
  // both towers in one mmproj). An mmproj without one still loads: the
  // engine then describes images only and `has_audio()` is false.
  bool audio = true;
};

// The prompt around the media: a system turn (optional), then one user
// turn with every image first, the audio clip (if any) next and `user`
// after them.
struct DescribePrompt {
  std::string system;
  std::string user;
  // 16 kHz mono samples in [-1, 1]; empty = no clip. Clips over 30 s are
  // encoded in 30 s chunks (all tokens go to the model: callers cap the
  // length they want to pay for).
  std::span<const float> audio;
};

struct DescribeOptions {
  int32_t image_budget = 280;  // soft tokens per image (a Gemma budget)
  int max_tokens = 384;        // sampled tokens at most
  text::SamplerOptions sampling{.greedy = false, .temperature = 0.7f,
                                .top_k = 64, .top_p = 0.95f, .min_p = 0.0f,
                                .seed = 0};
};

struct DescribeTimings {
  double preprocess_s = 0;  // resize + patches, all images
  double encode_s = 0;      // vision tower, all images
  double audio_encode_s = 0;  // mel + audio tower (0 without a clip)
  double prefill_s = 0;     // prompt + soft tokens
  double generate_s = 0;    // sampling + forced spans
  double mask_s = 0;        // of generate_s: vocabulary masks
  size_t n_image_tokens = 0;
  size_t n_audio_tokens = 0;
  size_t n_prompt_tokens = 0;  // text + image and audio soft tokens
  size_t n_sampled = 0;        // tokens the model chose
  size_t n_forced = 0;         // grammar-forced tokens ("skipped" sampling)
  size_t n_closed_bytes = 0;   // bytes closed without the model (budget)
};

struct Description {
  std::string text;
  DescribeTimings timings;
};

// Thread-safe: `Describe` calls are serialized (one KV cache).
class Engine {
 public:
  // Loads both files, checks they belong together and indexes the
  // vocabulary for constrained decoding.
  static Result<std::unique_ptr<Engine>> Load(const EngineOptions& options);
  ~Engine();

  // Describes `images` (1 or more, RGB) and `prompt.audio` under `prompt`.
  // With `grammar` the text is a complete document of it (see
  // grammar/constrained_decode.h); without, generation stops at end-of-turn
  // or `max_tokens`. A clip on an engine without an audio tower is
  // Unsupported (check `has_audio()` first).
  Result<Description> Describe(std::span<const vision::RgbImage> images,
                               const DescribePrompt& prompt,
                               const grammar::Grammar* grammar,
                               const DescribeOptions& options);

  // "<general.name or file stem> (<text file name>)" for reports.
  const std::string& model_name() const;
  // True when the mmproj's audio tower is loaded (clips are accepted).
  bool has_audio() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::inference
