// SPDX-License-Identifier: Apache-2.0
// A snapshot's audio clip as the model takes it: read from the store,
// parsed, downmixed and resampled to 16 kHz mono, cut to a maximum length.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "store/snapshot_store.h"

namespace vigil::analysis {

// The rate the audio tower takes (spec/gemma4-vision-audio.md §6.1).
inline constexpr uint32_t kModelSampleRate = 16000;

// The model hears at most this much of a clip by default: one encoder chunk,
// the longest clip Gemma 4 was trained on (spec/gemma4-vision-audio.md §6.3).
inline constexpr double kDefaultAudioMaxSeconds = 30;

// The first `max_s` seconds of snapshot `id`'s clip (the clip starts at the
// snapshot), 16 kHz mono. nullopt when the snapshot has no clip; an error
// when it has one that cannot be used (file gone, not a WAV, no samples).
Result<std::optional<std::vector<float>>> LoadClipForModel(
    store::SnapshotStore& store, int64_t id, double max_s);

}  // namespace vigil::analysis
