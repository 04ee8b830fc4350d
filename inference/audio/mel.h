// SPDX-License-Identifier: Apache-2.0
// Gemma 4 audio front end (spec/gemma4-vision-audio.md §6): 16 kHz mono PCM
// to log-mel features, llama.cpp (`gemma4a`) parity. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/status.h"

namespace vigil::audio {

inline constexpr int kSampleRate = 16000;
inline constexpr size_t kMelBins = 128;
inline constexpr size_t kHop = 160;          // 10 ms
inline constexpr size_t kWindow = 320;       // 20 ms periodic Hann
inline constexpr size_t kFftSize = 512;
// The model saw clips of at most 30 s; longer audio is split into 30 s
// chunks encoded independently (llama.cpp behaviour, spec §6.3).
inline constexpr size_t kChunkSamples = 30 * kSampleRate;

// `n_frames` rows of `n_mel` log-mel values, time-major.
struct MelFeatures {
  size_t n_frames = 0;
  size_t n_mel = kMelBins;
  std::vector<float> data;  // [n_frames][n_mel]
};

// Number of frames for `n_samples` samples of one chunk, with llama.cpp's
// truncating division: floor((n - 161) / 160) + 1, 1 frame for n in
// [1, 160], 0 for n = 0.
size_t CountMelFrames(size_t n_samples);

// Number of soft tokens the encoder makes from `n_frames` frames: two
// stride-2 convolutions, ceil(ceil(F / 2) / 2).
size_t CountAudioTokens(size_t n_frames);

// Soft tokens for a whole clip of `n_samples`, summed over its 30 s chunks.
size_t CountClipTokens(size_t n_samples);

// The 128 x 257 HTK triangular filterbank (no area normalisation), row-major.
std::vector<double> MelFilterbank();

// Log-mel features of one chunk (at most kChunkSamples samples; 16 kHz, mono,
// nominally in [-1, 1]). InvalidArgument for a longer chunk or a NaN/inf
// sample. An empty chunk gives 0 frames.
Result<MelFeatures> ComputeLogMel(std::span<const float> samples);

// Splits a clip into consecutive chunks of at most kChunkSamples.
std::vector<std::span<const float>> SplitIntoChunks(
    std::span<const float> samples);

}  // namespace vigil::audio
