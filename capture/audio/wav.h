// SPDX-License-Identifier: Apache-2.0
// RIFF/WAVE parsing and writing. The parser is bounds-checked against the
// bytes it was given (every chunk size, every header field) and accepts PCM
// 8/16/24/32-bit, IEEE float 32/64 and WAVE_FORMAT_EXTENSIBLE wrapping them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::capture::audio {

// Decoded audio: interleaved float samples in [-1, 1].
struct PcmAudio {
  uint32_t sample_rate = 0;
  uint16_t channels = 0;
  std::vector<float> samples;  // frames * channels, interleaved

  size_t frames() const { return channels ? samples.size() / channels : 0; }
  double seconds() const {
    return sample_rate ? double(frames()) / sample_rate : 0.0;
  }
};

struct WavLimits {
  uint64_t max_bytes = uint64_t{512} << 20;  // file size accepted
  uint16_t max_channels = 32;
};

// Parses a whole WAV file image. kCorrupt (what and where: "chunk 'data' at
// offset 36 claims 1000 bytes, 12 remain") for truncated or malformed input,
// kUnsupported for a compressed format (names the format tag), kOutOfRange
// when `bytes` exceeds the limits. A truncated final data chunk is an error,
// not silently shortened. Zero frames is valid (an empty recording).
Result<PcmAudio> ParseWav(std::span<const uint8_t> bytes,
                          const WavLimits& limits = {});

// Reads and parses `path` (size checked before reading).
Result<PcmAudio> ReadWavFile(const std::string& path,
                             const WavLimits& limits = {});

// Encodes mono or interleaved float samples as 16-bit PCM WAV (clipped to
// [-1, 1], rounded to nearest).
std::vector<uint8_t> EncodeWav16(std::span<const float> samples,
                                 uint32_t sample_rate, uint16_t channels);

// Writes a 16-bit WAV atomically: temporary file, fsync, rename. On error no
// file (and no temporary) is left at `path`.
Status WriteWavFile(const std::string& path, std::span<const float> samples,
                    uint32_t sample_rate, uint16_t channels);

}  // namespace vigil::capture::audio
