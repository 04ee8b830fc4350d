// SPDX-License-Identifier: Apache-2.0
// Log-mel as llama.cpp's gemma4a preprocessor computes it (ref/audio README):
// 160 zeros of left pad, frames of 512 samples every 160 whose window is a
// periodic Hann of 320 followed by 192 zeros, |FFT|, HTK mel, ln(max(m, 1e-3)).
#include "inference/audio/mel.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "inference/audio/fft.h"

namespace vigil::audio {
namespace {

constexpr size_t kBins = kFftSize / 2 + 1;  // 257
constexpr double kMelFloor = 0.001;

double HzToMel(double f) { return 2595.0 * std::log10(1.0 + f / 700.0); }
double MelToHz(double m) { return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0); }

}  // namespace

size_t CountMelFrames(size_t n_samples) {
  if (n_samples == 0) return 0;
  // C division truncates toward zero, so 1..160 samples still give 1 frame.
  const long long n = static_cast<long long>(n_samples);
  return static_cast<size_t>((n + static_cast<long long>(kHop) - 321) /
                                 static_cast<long long>(kHop) +
                             1);
}

size_t CountAudioTokens(size_t n_frames) {
  const size_t f1 = (n_frames + 1) / 2;
  return (f1 + 1) / 2;
}

size_t CountClipTokens(size_t n_samples) {
  size_t tokens = 0;
  for (size_t off = 0; off < n_samples; off += kChunkSamples) {
    tokens += CountAudioTokens(
        CountMelFrames(std::min(kChunkSamples, n_samples - off)));
  }
  return tokens;
}

std::vector<double> MelFilterbank() {
  const double mel_lo = HzToMel(0.0), mel_hi = HzToMel(kSampleRate / 2.0);
  std::vector<double> edges(kMelBins + 2);
  for (size_t i = 0; i < edges.size(); ++i) {
    edges[i] = MelToHz(mel_lo + (mel_hi - mel_lo) * double(i) /
                                    double(kMelBins + 1));
  }
  std::vector<double> fb(kMelBins * kBins, 0.0);
  for (size_t m = 0; m < kMelBins; ++m) {
    const double l = edges[m], c = edges[m + 1], r = edges[m + 2];
    for (size_t k = 0; k < kBins; ++k) {
      const double f = double(k) * kSampleRate / double(kFftSize);
      const double w = std::min((f - l) / (c - l), (r - f) / (r - c));
      fb[m * kBins + k] = std::max(0.0, w);
    }
  }
  return fb;
}

Result<MelFeatures> ComputeLogMel(std::span<const float> samples) {
  if (samples.size() > kChunkSamples) {
    return InvalidArgument("audio chunk has " + std::to_string(samples.size()) +
                           " samples; at most " + std::to_string(kChunkSamples) +
                           " (30 s) per chunk, split longer clips first");
  }
  for (size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples[i])) {
      return InvalidArgument("audio sample " + std::to_string(i) +
                             " is not a finite number");
    }
  }
  static const std::vector<double> fb = MelFilterbank();
  static const Fft fft = Fft::Create(kFftSize).value();
  double window[kWindow];
  for (size_t i = 0; i < kWindow; ++i) {
    window[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(i) /
                                     double(kWindow));
  }
  MelFeatures out;
  out.n_frames = CountMelFrames(samples.size());
  out.data.assign(out.n_frames * kMelBins, 0.0f);
  std::vector<std::complex<double>> work;
  double frame[kFftSize];
  double mag[kBins];
  for (size_t t = 0; t < out.n_frames; ++t) {
    std::fill(frame, frame + kFftSize, 0.0);
    for (size_t i = 0; i < kWindow; ++i) {
      // Padded index t*hop + i maps to sample t*hop + i - 160.
      const long long s = static_cast<long long>(t * kHop + i) -
                          static_cast<long long>(kWindow / 2);
      if (s >= 0 && s < static_cast<long long>(samples.size())) {
        frame[i] = double(samples[size_t(s)]) * window[i];
      }
    }
    fft.RealMagnitude(frame, &work, mag);
    float* row = &out.data[t * kMelBins];
    for (size_t m = 0; m < kMelBins; ++m) {
      double acc = 0.0;
      const double* w = &fb[m * kBins];
      for (size_t k = 0; k < kBins; ++k) acc += mag[k] * w[k];
      row[m] = static_cast<float>(std::log(std::max(acc, kMelFloor)));
    }
  }
  return out;
}

std::vector<std::span<const float>> SplitIntoChunks(
    std::span<const float> samples) {
  std::vector<std::span<const float>> chunks;
  for (size_t off = 0; off < samples.size(); off += kChunkSamples) {
    chunks.push_back(
        samples.subspan(off, std::min(kChunkSamples, samples.size() - off)));
  }
  return chunks;
}

}  // namespace vigil::audio
