// SPDX-License-Identifier: Apache-2.0
#include "inference/audio/fft.h"

#include <cmath>
#include <numbers>
#include <string>
#include <utility>

namespace vigil::audio {

Result<Fft> Fft::Create(size_t n) {
  if (n < 2 || n > (size_t{1} << 20) || (n & (n - 1)) != 0) {
    return InvalidArgument("FFT size must be a power of two in [2, 2^20], got " +
                           std::to_string(n));
  }
  return Fft(n);
}

Fft::Fft(size_t n) : n_(n), bitrev_(n), twiddle_(n / 2) {
  size_t bits = 0;
  while ((size_t{1} << bits) < n) ++bits;
  for (size_t i = 0; i < n; ++i) {
    size_t r = 0;
    for (size_t b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev_[i] = r;
  }
  for (size_t k = 0; k < n / 2; ++k) {
    const double a = -2.0 * std::numbers::pi * double(k) / double(n);
    twiddle_[k] = {std::cos(a), std::sin(a)};
  }
}

void Fft::Forward(std::complex<double>* data) const {
  for (size_t i = 0; i < n_; ++i) {
    if (i < bitrev_[i]) std::swap(data[i], data[bitrev_[i]]);
  }
  for (size_t len = 2; len <= n_; len <<= 1) {
    const size_t half = len / 2, step = n_ / len;
    for (size_t start = 0; start < n_; start += len) {
      for (size_t j = 0; j < half; ++j) {
        const std::complex<double> t = twiddle_[j * step] * data[start + j + half];
        data[start + j + half] = data[start + j] - t;
        data[start + j] += t;
      }
    }
  }
}

void Fft::RealMagnitude(const double* x,
                        std::vector<std::complex<double>>* work,
                        double* mag) const {
  work->resize(n_);
  for (size_t i = 0; i < n_; ++i) (*work)[i] = {x[i], 0.0};
  Forward(work->data());
  for (size_t k = 0; k <= n_ / 2; ++k) mag[k] = std::abs((*work)[k]);
}

}  // namespace vigil::audio
