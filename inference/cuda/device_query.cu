// SPDX-License-Identifier: Apache-2.0
// CUDA runtime queries and the vector-add self test (device_query.h).
#include "inference/cuda/device_query.h"

#include <cuda_runtime.h>

#include <cmath>
#include <vector>

namespace vigil::cuda {
namespace {

__global__ void VectorAdd(const float* a, const float* b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

Status CudaError(cudaError_t err, const char* what) {
  return Unavailable(std::string("CUDA ") + what + ": " +
                     cudaGetErrorString(err));
}

}  // namespace

Result<std::vector<DeviceInfo>> QueryDevices() {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) return CudaError(err, "cudaGetDeviceCount");
  std::vector<DeviceInfo> devices;
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    err = cudaGetDeviceProperties(&p, i);
    if (err != cudaSuccess) return CudaError(err, "cudaGetDeviceProperties");
    devices.push_back(DeviceInfo{p.name, p.major, p.minor, p.totalGlobalMem,
                                 p.multiProcessorCount, p.integrated != 0});
  }
  return devices;
}

Status VectorAddSelfTest(int n) {
  if (n <= 0) return InvalidArgument("VectorAddSelfTest: n must be > 0");
  std::vector<float> a(n), b(n), c(n);
  for (int i = 0; i < n; ++i) {
    a[i] = 0.5f * i;
    b[i] = 1.0f - i;
  }
  const size_t bytes = sizeof(float) * n;
  float *da = nullptr, *db = nullptr, *dc = nullptr;
  cudaError_t err = cudaMalloc(&da, bytes);
  if (err == cudaSuccess) err = cudaMalloc(&db, bytes);
  if (err == cudaSuccess) err = cudaMalloc(&dc, bytes);
  if (err == cudaSuccess) err = cudaMemcpy(da, a.data(), bytes, cudaMemcpyHostToDevice);
  if (err == cudaSuccess) err = cudaMemcpy(db, b.data(), bytes, cudaMemcpyHostToDevice);
  if (err == cudaSuccess) {
    VectorAdd<<<(n + 255) / 256, 256>>>(da, db, dc, n);
    err = cudaGetLastError();
  }
  if (err == cudaSuccess) err = cudaMemcpy(c.data(), dc, bytes, cudaMemcpyDeviceToHost);
  cudaFree(da);
  cudaFree(db);
  cudaFree(dc);
  if (err != cudaSuccess) return CudaError(err, "vector add");
  for (int i = 0; i < n; ++i) {
    if (std::fabs(c[i] - (a[i] + b[i])) > 0.0f) {
      return InternalError("CUDA vector add: element " + std::to_string(i) +
                           " is " + std::to_string(c[i]) + ", expected " +
                           std::to_string(a[i] + b[i]));
    }
  }
  return OkStatus();
}

}  // namespace vigil::cuda
