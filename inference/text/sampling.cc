// SPDX-License-Identifier: Apache-2.0
#include "inference/text/sampling.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil::text {
namespace {

bool Descending(const std::pair<float, int32_t>& a,
                const std::pair<float, int32_t>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

Status ValidateSamplerOptions(const SamplerOptions& o) {
  if (!std::isfinite(o.temperature) || o.temperature < 0.0f) {
    return InvalidArgument("temperature must be >= 0, got " +
                           std::to_string(o.temperature));
  }
  if (o.top_k < 0) {
    return InvalidArgument("top_k must be >= 0 (0 = off), got " +
                           std::to_string(o.top_k));
  }
  if (!(o.top_p > 0.0f && o.top_p <= 1.0f)) {
    return InvalidArgument("top_p must be in (0, 1], got " +
                           std::to_string(o.top_p));
  }
  if (!(o.min_p >= 0.0f && o.min_p <= 1.0f)) {
    return InvalidArgument("min_p must be in [0, 1], got " +
                           std::to_string(o.min_p));
  }
  return OkStatus();
}

int32_t ArgMax(std::span<const float> logits) {
  VIGIL_CHECK(!logits.empty());
  size_t best = 0;
  for (size_t i = 1; i < logits.size(); ++i) {
    if (logits[i] > logits[best]) best = i;
  }
  return static_cast<int32_t>(best);
}

Sampler::Sampler(const SamplerOptions& options, size_t n_vocab)
    : options_(options), rng_(options.seed) {
  candidates_.reserve(n_vocab);
}

double Sampler::Uniform() {
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

int32_t Sampler::Sample(std::span<const float> logits) {
  if (options_.greedy || options_.temperature <= 0.0f) return ArgMax(logits);
  VIGIL_CHECK(logits.size() <= candidates_.capacity());
  candidates_.clear();
  const float inv_t = 1.0f / options_.temperature;
  for (size_t i = 0; i < logits.size(); ++i) {
    candidates_.emplace_back(logits[i] * inv_t, static_cast<int32_t>(i));
  }
  // top-k: keep the k largest, sorted descending.
  size_t n = candidates_.size();
  if (options_.top_k > 0 && static_cast<size_t>(options_.top_k) < n) {
    n = static_cast<size_t>(options_.top_k);
    std::nth_element(candidates_.begin(), candidates_.begin() + n - 1,
                     candidates_.end(), Descending);
  }
  std::sort(candidates_.begin(), candidates_.begin() + n, Descending);
  // Softmax over the survivors (max first after sorting).
  const float max_logit = candidates_[0].first;
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    candidates_[i].first = std::exp(candidates_[i].first - max_logit);
    sum += candidates_[i].first;
  }
  // top-p: smallest prefix whose mass reaches top_p (at least one token).
  if (options_.top_p < 1.0f) {
    double cum = 0.0;
    for (size_t i = 0; i < n; ++i) {
      cum += candidates_[i].first / sum;
      if (cum >= options_.top_p) {
        n = i + 1;
        break;
      }
    }
  }
  // min-p: drop tokens less likely than min_p times the most likely one.
  if (options_.min_p > 0.0f) {
    const float floor = options_.min_p * candidates_[0].first;
    size_t keep = 1;
    while (keep < n && candidates_[keep].first >= floor) ++keep;
    n = keep;
  }
  double kept = 0.0;
  for (size_t i = 0; i < n; ++i) kept += candidates_[i].first;
  double r = Uniform() * kept;
  for (size_t i = 0; i < n; ++i) {
    r -= candidates_[i].first;
    if (r < 0.0) return candidates_[i].second;
  }
  return candidates_[n - 1].second;
}

}  // namespace vigil::text
