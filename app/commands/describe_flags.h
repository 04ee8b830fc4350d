// SPDX-License-Identifier: Apache-2.0
// The flags of `vigil describe` (an image, an audio clip or both) and the
// image step that the image and audio paths share.
#pragma once

#include <string>
#include <vector>

#include "app/commands/engine_cli.h"
#include "common/status.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/sampling.h"
#include "inference/vision/encoder.h"

namespace vigil::app {

struct DescribeFlags {
  std::string model, mmproj, image, audio;
  std::string prompt;  // empty: "Describe this image." / "... audio."
  std::string prompt_ids, embeddings_out;
  AnswerDumps dumps;
  int budget = 280, min_tokens = 0, max_tokens_image = 0;
  int max_tokens = 256, threads = 0;
  bool causal = false;
  kernels::MatMulPrecision precision =
      kernels::MatMulPrecision::kQuantizedActivations;
  text::SamplerOptions sampling;  // --greedy, --temp, --seed
};

extern const char kDescribeUsage[];

// Parses and checks the words after `describe`.
Result<DescribeFlags> ParseDescribeFlags(const std::vector<std::string>& args);

// The user prompt: --prompt, or a default that names the media.
std::string UserPrompt(const DescribeFlags& f);

struct ImageStepSeconds {
  double preprocess = 0, encode = 0;
};
// Reads --image (at most the decoder's byte limit), preprocesses it for the
// flags' token budget and encodes it; prints `image: WxH -> N tokens` and
// adds the preprocess and encode seconds to `seconds` when given.
Result<mm::SoftTokens> EncodeImageFlag(const DescribeFlags& f,
                                       const mm::VisionModel& vision,
                                       kernels::ThreadPool& pool,
                                       ImageStepSeconds* seconds = nullptr);

}  // namespace vigil::app
