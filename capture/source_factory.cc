// SPDX-License-Identifier: Apache-2.0
// Maps a camera's kind to its source implementation.
#include "capture/source_factory.h"

#include "capture/sources.h"
#include "common/log.h"

namespace vigil::capture {

Result<std::unique_ptr<Source>> MakeSource(const CameraConfig& config) {
  // Register before validating, so even an error about this camera cannot
  // print its password.
  log::RegisterSecret(config.password);
  VIGIL_RETURN_IF_ERROR(Validate(config));
  switch (config.kind) {
    case SourceKind::kHttp:
      return MakeHttpSnapshotSource(config);
    case SourceKind::kMjpeg:
      // HTTP MJPEG is parsed by us; anything else (a file, rtsp://) goes to
      // FFmpeg.
      if (config.url.rfind("http", 0) == 0) return MakeMjpegHttpSource(config);
      return MakeVideoCaptureSource(config);
    case SourceKind::kRtsp:
    case SourceKind::kV4l2:
      return MakeVideoCaptureSource(config);
    case SourceKind::kWatchFolder:
      return MakeWatchFolderSource(config);
    case SourceKind::kLibcamera:
      return MakeLibcameraSource(config);
    case SourceKind::kDemo:
      return MakeDemoSource(config);
    case SourceKind::kSentinel:
      break;
  }
  return InvalidArgument("cameras." + config.name + ".kind: invalid value");
}

}  // namespace vigil::capture
