// SPDX-License-Identifier: Apache-2.0
// Home of the CUDA backend (Jetson Orin; built with -DVIGIL_WITH_CUDA=ON).
// For now: what the CUDA runtime sees, and a vector-add self test proving
// the toolchain, the driver and the device work end to end.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::cuda {

struct DeviceInfo {
  std::string name;
  int compute_major = 0, compute_minor = 0;
  size_t total_memory_bytes = 0;
  int multiprocessors = 0;
  bool integrated = false;  // Jetson: GPU shares the LPDDR with the CPU
};

// Returns every CUDA device, or kUnavailable naming the runtime's error
// (no driver, no device) so callers fall back to the CPU engine.
Result<std::vector<DeviceInfo>> QueryDevices();

// Adds two `n`-float vectors on device 0 and checks the result on the host.
// Returns kUnavailable without a device, kInternal on a wrong result.
Status VectorAddSelfTest(int n);

}  // namespace vigil::cuda
