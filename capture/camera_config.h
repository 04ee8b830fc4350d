// SPDX-License-Identifier: Apache-2.0
// Every per-camera setting, as loaded by app/config from the `cameras:` YAML
// section. Plain data plus validation; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capture/camera_audio.h"
#include "common/status.h"

namespace vigil::capture {

// How a camera is reached. Serialized in config files by `SourceKindName`.
enum class SourceKind {
  kHttp,         // HTTP(S) snapshot URL returning one JPEG (most IP cameras)
  kRtsp,         // RTSP (or any FFmpeg URL/file) stream through OpenCV
  kMjpeg,        // multipart/x-mixed-replace MJPEG over HTTP(S)
  kV4l2,         // USB/V4L2 device such as /dev/video0
  kWatchFolder,  // cameras push JPEGs by FTP/SMB into a folder
  kLibcamera,    // Raspberry Pi cameras (needs -DVIGIL_WITH_LIBCAMERA=ON)
  kDemo,         // a rendered test scene, no hardware needed
  kSentinel,
};
bool EnumValid(SourceKind kind);
// Returns "http", "rtsp", "mjpeg", "v4l2", "watch_folder", "libcamera", "demo".
const char* SourceKindName(SourceKind kind);
// Parses a name produced by `SourceKindName` or returns kInvalidArgument
// listing the accepted names.
Result<SourceKind> ParseSourceKind(std::string_view name);

// HTTP authentication scheme. kAuto lets libcurl pick Digest or Basic from
// the camera's WWW-Authenticate challenge (costs one extra round trip).
enum class HttpAuth { kAuto, kBasic, kDigest, kSentinel };
bool EnumValid(HttpAuth auth);
const char* HttpAuthName(HttpAuth auth);  // "auto", "basic", "digest"
Result<HttpAuth> ParseHttpAuth(std::string_view name);

// What a watch folder does with a file once it is stored: move it into
// `<folder>/done/` (default, keeps the original) or delete it. Either way a
// restart never ingests it twice.
enum class AfterIngest { kMove, kDelete, kSentinel };
bool EnumValid(AfterIngest after);
const char* AfterIngestName(AfterIngest after);  // "move", "delete"
Result<AfterIngest> ParseAfterIngest(std::string_view name);

struct CameraConfig {
  std::string name;  // unique; [A-Za-z0-9_-], 1..64 chars
  SourceKind kind = SourceKind::kDemo;
  bool enabled = true;

  // http, mjpeg, rtsp: the URL. It may carry `user:pass@`; credentials are
  // stripped from every description and log line.
  std::string url;
  std::string username;
  std::string password;  // registered with log::RegisterSecret
  HttpAuth auth = HttpAuth::kAuto;
  bool tls_verify = true;  // false for self-signed camera certificates
  double connect_timeout_s = 5;
  double timeout_s = 15;                  // whole capture, all sources
  uint64_t max_bytes = 20ull << 20;       // largest accepted JPEG/frame

  // v4l2: device path or index ("/dev/video0", "0"); libcamera: camera id
  // or index ("" = first camera).
  std::string device;
  int width = 0;   // requested frame size for v4l2/libcamera/demo (0 = default)
  int height = 0;
  int jpeg_quality = 90;  // when we encode (streams, devices, demo), 1..100
  int warmup_frames = 3;  // v4l2/libcamera: frames dropped after opening
                          // so auto-exposure settles

  // watch_folder
  std::string folder;
  AfterIngest after_ingest = AfterIngest::kMove;
  // A file without a JPEG end marker counts as complete once its size has
  // not changed over two polls at least `settle_s` apart.
  double settle_s = 5;

  // Schedule. A failing camera backs off: interval × 2^failures, capped at
  // max(interval_s, max_backoff_s), reset on the first success.
  double interval_s = 60;
  double jitter_s = 0;          // uniform random delay in [0, jitter_s)
  double max_backoff_s = 600;
  // Streams and devices stay open between captures when interval_s is below
  // this (reopening RTSP costs seconds); otherwise closed after each frame.
  double keep_open_below_s = 10;

  // A clip of audio around each snapshot (capture/camera_audio.h).
  CameraAudioConfig audio;
};

// Returns kInvalidArgument naming the camera and field, e.g.
// "cameras.porch.interval_s: must be > 0, got 0". Never echoes passwords.
Status Validate(const CameraConfig& config);
// Validates each camera and that names are unique.
Status ValidateCameras(const std::vector<CameraConfig>& cameras);

}  // namespace vigil::capture
