// SPDX-License-Identifier: Apache-2.0
// Built when VIGIL_WITH_LIBCAMERA is OFF: libcamera cameras report how to
// enable them instead of failing at link time.
#include "capture/sources.h"

namespace vigil::capture {

Result<std::unique_ptr<Source>> MakeLibcameraSource(const CameraConfig& c) {
  return Unsupported("cameras." + c.name +
                     ": kind 'libcamera' needs a build with "
                     "-DVIGIL_WITH_LIBCAMERA=ON (apt install libcamera-dev)");
}

}  // namespace vigil::capture
