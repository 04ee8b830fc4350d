// SPDX-License-Identifier: Apache-2.0
// Names and validation of the per-camera audio settings.
#include "capture/camera_audio.h"

#include <cmath>
#include <cstdio>

namespace vigil::capture {

bool EnumValid(AudioSourceKind kind) {
  return kind >= AudioSourceKind::kNone && kind < AudioSourceKind::kSentinel;
}

const char* AudioSourceKindName(AudioSourceKind kind) {
  switch (kind) {
    case AudioSourceKind::kNone: return "none";
    case AudioSourceKind::kRtsp: return "rtsp";
    case AudioSourceKind::kAlsa: return "alsa";
    case AudioSourceKind::kSentinel: break;
  }
  return "?";
}

Result<AudioSourceKind> ParseAudioSourceKind(std::string_view name) {
  for (int i = 0; i < static_cast<int>(AudioSourceKind::kSentinel); ++i) {
    auto kind = static_cast<AudioSourceKind>(i);
    if (name == AudioSourceKindName(kind)) return kind;
  }
  return InvalidArgument("unknown audio source '" + std::string(name) +
                         "'; expected one of none, rtsp, alsa");
}

Status ValidateAudio(const std::string& camera, const CameraAudioConfig& audio,
                     const std::string& camera_url) {
  const std::string field = "cameras." + camera + ".audio.";
  if (!EnumValid(audio.source)) {
    return InvalidArgument(field + "source: invalid value");
  }
  if (!std::isfinite(audio.clip_s) || audio.clip_s <= 0 ||
      audio.clip_s > kMaxClipSeconds) {
    char got[32];
    std::snprintf(got, sizeof(got), "%g", audio.clip_s);
    return InvalidArgument(field + "clip_s: must be in (0, 60] seconds, got " +
                           got);
  }
  if (audio.source == AudioSourceKind::kRtsp && audio.device.empty() &&
      camera_url.empty()) {
    return InvalidArgument(field + "device: source rtsp needs a stream URL "
                           "here or a camera url");
  }
  return OkStatus();
}

}  // namespace vigil::capture
