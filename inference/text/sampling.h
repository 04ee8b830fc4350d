// SPDX-License-Identifier: Apache-2.0
// Token sampling from a row of logits: greedy, temperature, top-k, top-p,
// min-p, with a seeded RNG so runs are reproducible (spec §5.5).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "common/status.h"

namespace vigil::text {

// Sampling parameters. Filters run in HF order: temperature -> top-k ->
// top-p -> min-p, then one draw from the renormalised distribution.
struct SamplerOptions {
  bool greedy = false;      // argmax, ignores everything below
  float temperature = 1.0f; // <= 0 also means greedy
  int top_k = 64;           // 0 = off
  float top_p = 0.95f;      // 1 = off
  float min_p = 0.0f;       // 0 = off; keeps p >= min_p * p_max
  uint64_t seed = 0;
};

// Returns InvalidArgument naming the first out-of-range field.
Status ValidateSamplerOptions(const SamplerOptions& options);

// Returns the index of the largest logit (lowest index on ties).
int32_t ArgMax(std::span<const float> logits);

// Draws token ids from logits. Scratch space is sized once for `n_vocab`, so
// `Sample` does not allocate. Thread-compatible.
class Sampler {
 public:
  Sampler(const SamplerOptions& options, size_t n_vocab);

  // Returns the sampled id; `logits.size()` must equal `n_vocab`.
  int32_t Sample(std::span<const float> logits);

 private:
  // Returns a uniform double in [0, 1) from the seeded engine (portable:
  // does not depend on the standard library's distributions).
  double Uniform();

  SamplerOptions options_;
  std::mt19937_64 rng_;
  std::vector<std::pair<float, int32_t>> candidates_;  // (logit or prob, id)
};

}  // namespace vigil::text
