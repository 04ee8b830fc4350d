// SPDX-License-Identifier: Apache-2.0
#include "capture/audio/resample.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace vigil::capture::audio {
namespace {

constexpr double kZeroCrossings = 16.0;
constexpr double kCutoff = 0.95;

double Sinc(double x) {
  if (std::fabs(x) < 1e-12) return 1.0;
  const double px = std::numbers::pi * x;
  return std::sin(px) / px;
}

// Blackman window over u in [-1, 1].
double Blackman(double u) {
  const double a = std::numbers::pi * (u + 1.0);
  return 0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2.0 * a);
}

}  // namespace

std::vector<float> DownmixToMono(std::span<const float> samples,
                                 uint16_t channels) {
  if (channels <= 1) return {samples.begin(), samples.end()};
  const size_t frames = samples.size() / channels;
  std::vector<float> out(frames);
  for (size_t f = 0; f < frames; ++f) {
    double acc = 0.0;
    for (uint16_t c = 0; c < channels; ++c) acc += samples[f * channels + c];
    out[f] = static_cast<float>(acc / channels);
  }
  return out;
}

Result<std::vector<float>> Resample(std::span<const float> x,
                                    uint32_t from_rate, uint32_t to_rate) {
  for (uint32_t r : {from_rate, to_rate}) {
    if (r < 1000 || r > 768000) {
      return InvalidArgument("sample rate " + std::to_string(r) +
                             " Hz out of range [1000, 768000]");
    }
  }
  if (from_rate == to_rate) return std::vector<float>(x.begin(), x.end());
  const double ratio = double(to_rate) / double(from_rate);
  const double fc = kCutoff * std::min(1.0, ratio);  // cycles per input sample * 2
  const double half = kZeroCrossings / fc;           // kernel half width
  const size_t n_out = static_cast<size_t>(std::llround(double(x.size()) * ratio));
  std::vector<float> y(n_out);
  const long long n_in = static_cast<long long>(x.size());
  for (size_t i = 0; i < n_out; ++i) {
    const double t = double(i) / ratio;  // position in input samples
    const long long lo = std::max<long long>(0, (long long)std::ceil(t - half));
    const long long hi = std::min<long long>(n_in - 1, (long long)std::floor(t + half));
    double acc = 0.0;
    for (long long k = lo; k <= hi; ++k) {
      const double u = double(k) - t;
      acc += x[size_t(k)] * fc * Sinc(fc * u) * Blackman(u / half);
    }
    y[i] = static_cast<float>(acc);
  }
  return y;
}

Result<std::vector<float>> ToMonoAt(const PcmAudio& audio, uint32_t rate) {
  return Resample(DownmixToMono(audio.samples, audio.channels),
                  audio.sample_rate, rate);
}

}  // namespace vigil::capture::audio
