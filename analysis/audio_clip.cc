// SPDX-License-Identifier: Apache-2.0
#include "analysis/audio_clip.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "capture/audio/resample.h"
#include "capture/audio/wav.h"

namespace vigil::analysis {

Result<std::optional<std::vector<float>>> LoadClipForModel(
    store::SnapshotStore& store, int64_t id, double max_s) {
  if (!(max_s > 0)) {
    return InvalidArgument("audio max seconds must be > 0, got " +
                           std::to_string(max_s));
  }
  VIGIL_ASSIGN_OR_RETURN(store::SnapshotRecord row, store.Get(id));
  if (!row.audio_ms) return std::optional<std::vector<float>>();
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> wav, store.ReadAudio(id));
  VIGIL_ASSIGN_OR_RETURN(capture::audio::PcmAudio pcm,
                         capture::audio::ParseWav(wav));
  // Cut before resampling (with a margin for the filter) to save the work.
  const double frames_max = std::ceil(max_s * pcm.sample_rate) + 64;
  const size_t keep = size_t(std::min<double>(
      frames_max * pcm.channels, double(pcm.samples.size())));
  pcm.samples.resize(keep - keep % std::max<uint16_t>(pcm.channels, 1));
  VIGIL_ASSIGN_OR_RETURN(std::vector<float> mono,
                         capture::audio::ToMonoAt(pcm, kModelSampleRate));
  mono.resize(std::min(mono.size(), size_t(max_s * kModelSampleRate)));
  if (mono.empty()) {
    return Corrupt("snapshot " + std::to_string(id) +
                   "'s audio clip has no samples");
  }
  return std::optional<std::vector<float>>(std::move(mono));
}

}  // namespace vigil::analysis
