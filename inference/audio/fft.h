// SPDX-License-Identifier: Apache-2.0
// An iterative radix-2 FFT in double precision for the log-mel front end
// (spec/gemma4-vision-audio.md §6.2 uses a 512-point real FFT). Plans hold
// the bit-reversal table and twiddles so a frame loop does not recompute them.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

#include "common/status.h"

namespace vigil::audio {

class Fft {
 public:
  // InvalidArgument unless `n` is a power of two in [2, 2^20].
  static Result<Fft> Create(size_t n);

  size_t size() const { return n_; }

  // In-place forward transform X_k = sum_n x_n e^{-2 pi i k n / N}.
  // `data` holds size() values.
  void Forward(std::complex<double>* data) const;

  // Magnitudes |X_k| for k = 0..N/2 of the real signal `x` (size() values,
  // zero-pad before calling). `work` is resized as needed; `mag` gets N/2+1.
  void RealMagnitude(const double* x, std::vector<std::complex<double>>* work,
                     double* mag) const;

 private:
  explicit Fft(size_t n);
  size_t n_ = 0;
  std::vector<size_t> bitrev_;
  std::vector<std::complex<double>> twiddle_;  // e^{-2 pi i k / N}, k < N/2
};

}  // namespace vigil::audio
