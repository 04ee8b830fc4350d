// SPDX-License-Identifier: Apache-2.0
// MakeAlsaSource when vigil is built without libasound2-dev.
#include "capture/audio/clip_source.h"

namespace vigil::capture::audio {

Result<std::unique_ptr<AudioClipSource>> MakeAlsaSource(std::string device) {
  return Unsupported("ALSA microphone '" + device +
                     "' unavailable: vigil was built without libasound2-dev");
}

}  // namespace vigil::capture::audio
