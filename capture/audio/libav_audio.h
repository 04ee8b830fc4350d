// SPDX-License-Identifier: Apache-2.0
// Decodes the audio track of a media file or stream URL (RTSP camera, HTTP,
// local MP4/MKA/WAV/...) with Debian's FFmpeg libraries, downmixed and
// resampled (libswresample) to mono float at the requested rate.
#pragma once

#include <cstdint>
#include <string>

#include "capture/audio/wav.h"
#include "common/status.h"

namespace vigil::capture::audio {

struct LibavAudioOptions {
  uint32_t sample_rate = 16000;  // output rate (mono)
  double max_seconds = 30.0;     // stop after this much audio (a clip)
  double timeout_s = 10.0;       // whole open + decode deadline (streams)
  bool rtsp_tcp = true;          // RTSP over TCP (cameras behind NAT/Wi-Fi)
};

// Opens `url` (file path or URL), picks the best audio stream and decodes up
// to `max_seconds`. kNotFound when the source has no audio track,
// kUnsupported when no decoder exists for its codec, kIo when it cannot
// be opened or read, kUnavailable past `timeout_s`. Returns mono audio
// at `sample_rate` (possibly 0 frames for an empty track).
Result<PcmAudio> DecodeAudioTrack(const std::string& url,
                                  const LibavAudioOptions& options = {});

}  // namespace vigil::capture::audio
