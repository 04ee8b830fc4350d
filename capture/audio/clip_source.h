// SPDX-License-Identifier: Apache-2.0
// Where an audio clip around a snapshot comes from: the audio track of a
// camera stream (libav) or a local ALSA microphone. One small interface so
// the scheduler does not care which; every clip is mono at the model rate.
#pragma once

#include <memory>
#include <string>

#include "capture/audio/wav.h"
#include "common/status.h"

namespace vigil::capture::audio {

class AudioClipSource {
 public:
  virtual ~AudioClipSource() = default;
  // Records or decodes about `seconds` of audio, mono at 16 kHz.
  virtual Result<PcmAudio> Capture(double seconds) = 0;
  virtual std::string Describe() const = 0;
};

// The audio track of `url` (rtsp://, http://, or a file).
std::unique_ptr<AudioClipSource> MakeStreamAudioSource(std::string url);

// An ALSA capture device ("default", "hw:1,0", "plughw:CARD=Mic"). Returns
// kUnsupported when vigil was built without ALSA.
Result<std::unique_ptr<AudioClipSource>> MakeAlsaSource(std::string device);

}  // namespace vigil::capture::audio
