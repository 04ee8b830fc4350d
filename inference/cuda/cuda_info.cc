// SPDX-License-Identifier: Apache-2.0
// `vigil_cuda_info`: lists CUDA devices and runs the vector-add self test.
// Exit 0 ok, 1 a device failed, 3 no usable CUDA device (CPU engine only).
#include <iostream>

#include "inference/cuda/device_query.h"

int main() {
  auto devices = vigil::cuda::QueryDevices();
  if (!devices.ok() || devices->empty()) {
    std::cout << "no CUDA device: "
              << (devices.ok() ? "none found" : devices.status().ToString())
              << "\n";
    return 3;
  }
  for (const auto& d : *devices) {
    std::cout << d.name << ": sm_" << d.compute_major << d.compute_minor << ", "
              << d.total_memory_bytes / (1 << 20) << " MiB, "
              << d.multiprocessors << " SMs"
              << (d.integrated ? ", integrated (Jetson)" : "") << "\n";
  }
  vigil::Status s = vigil::cuda::VectorAddSelfTest(1 << 20);
  std::cout << "vector add self test: " << s.ToString() << "\n";
  return s.ok() ? 0 : 1;
}
