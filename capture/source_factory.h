// SPDX-License-Identifier: Apache-2.0
// Builds the `Source` for a camera's `kind`. The only place that knows every
// implementation; app/ and the scheduler go through it.
#pragma once

#include <memory>

#include "capture/camera_config.h"
#include "capture/source.h"
#include "common/status.h"

namespace vigil::capture {

// Returns a ready source, or kInvalidArgument (bad config, see `Validate`),
// kUnsupported (libcamera without -DVIGIL_WITH_LIBCAMERA=ON). Registers the
// camera's password (and any password in its URL) with log::RegisterSecret.
// Does not touch the network: a camera that is offline still gets a source.
Result<std::unique_ptr<Source>> MakeSource(const CameraConfig& config);

}  // namespace vigil::capture
