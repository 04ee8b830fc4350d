// SPDX-License-Identifier: Apache-2.0
// Per-camera audio settings (`cameras.<name>.audio` in the config): where a
// clip around each snapshot comes from and how long it is (issue 5).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigil::capture {

enum class AudioSourceKind {
  kNone,  // no clips (default)
  kRtsp,  // the audio track of a stream/file via FFmpeg (RTSP, HTTP, file)
  kAlsa,  // a local ALSA microphone (USB mic on a Pi)
  kSentinel,
};
bool EnumValid(AudioSourceKind kind);
const char* AudioSourceKindName(AudioSourceKind kind);  // "none", "rtsp", "alsa"
Result<AudioSourceKind> ParseAudioSourceKind(std::string_view name);

struct CameraAudioConfig {
  AudioSourceKind source = AudioSourceKind::kNone;
  // rtsp: stream URL or media file ("" = the camera's own `url`);
  // alsa: capture device ("" = "default", e.g. "plughw:CARD=Mic").
  std::string device;
  double clip_s = 5;  // clip length recorded after each snapshot, (0, 60]
};

inline constexpr double kMaxClipSeconds = 60;

// Returns kInvalidArgument naming "cameras.<camera>.audio.<field>".
// `camera_url` is the camera's `url` (the default rtsp audio source).
Status ValidateAudio(const std::string& camera, const CameraAudioConfig& audio,
                     const std::string& camera_url);

}  // namespace vigil::capture
