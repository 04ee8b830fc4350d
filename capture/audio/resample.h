// SPDX-License-Identifier: Apache-2.0
// Channel downmix and sample-rate conversion for the audio path (the model
// wants 16 kHz mono; spec/gemma4-vision-audio.md §6.1 leaves the resampler
// open). Pure functions on float buffers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "capture/audio/wav.h"
#include "common/status.h"

namespace vigil::capture::audio {

// Averages the channels of interleaved `samples` into one.
std::vector<float> DownmixToMono(std::span<const float> samples,
                                 uint16_t channels);

// Band-limited resampling with a Blackman-windowed sinc (16 zero crossings,
// cutoff at 0.95 of the lower Nyquist frequency). Output length is
// round(n * to / from). InvalidArgument for rates outside [1000, 768000].
Result<std::vector<float>> Resample(std::span<const float> mono,
                                    uint32_t from_rate, uint32_t to_rate);

// Downmix + resample to `rate` (16000 for the model).
Result<std::vector<float>> ToMonoAt(const PcmAudio& audio, uint32_t rate);

}  // namespace vigil::capture::audio
