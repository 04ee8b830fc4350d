// SPDX-License-Identifier: Apache-2.0
// Constructors of the concrete sources, one per file; only source_factory.cc
// and tests use this header. Internal to capture/.
#pragma once

#include <memory>

#include "capture/camera_config.h"
#include "capture/source.h"
#include "common/status.h"

namespace vigil::capture {

Result<std::unique_ptr<Source>> MakeHttpSnapshotSource(const CameraConfig& c);
Result<std::unique_ptr<Source>> MakeMjpegHttpSource(const CameraConfig& c);
// RTSP/any FFmpeg URL or file (kRtsp, kMjpeg with a non-HTTP URL) and V4L2.
Result<std::unique_ptr<Source>> MakeVideoCaptureSource(const CameraConfig& c);
Result<std::unique_ptr<Source>> MakeWatchFolderSource(const CameraConfig& c);
Result<std::unique_ptr<Source>> MakeDemoSource(const CameraConfig& c);
// Returns kUnsupported unless built with -DVIGIL_WITH_LIBCAMERA=ON.
Result<std::unique_ptr<Source>> MakeLibcameraSource(const CameraConfig& c);

}  // namespace vigil::capture
