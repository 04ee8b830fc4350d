// SPDX-License-Identifier: Apache-2.0
// Fuzz target for the WAV parser (capture/audio/wav.h): any input gives a
// Status, never a crash; accepted audio is consistent, in [-1, 1], and
// downmixes and resamples to 16 kHz without trouble.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "capture/audio/resample.h"
#include "capture/audio/wav.h"
#include "common/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ca = vigil::capture::audio;
  auto pcm = ca::ParseWav(std::span<const uint8_t>(data, size));
  if (!pcm.ok()) return 0;
  VIGIL_CHECK(pcm->channels >= 1);
  VIGIL_CHECK(pcm->samples.size() % pcm->channels == 0);
  for (float s : pcm->samples) VIGIL_CHECK(std::isfinite(s) && std::fabs(s) <= 1.0f);
  if (pcm->frames() <= 4096) {
    auto mono = ca::ToMonoAt(*pcm, 16000);
    VIGIL_CHECK(mono.ok());
  }
  return 0;
}
