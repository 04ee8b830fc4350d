# SPDX-License-Identifier: Apache-2.0
# Build flavours for deployment (issue 7): the engine-only build used by the
# arm64 cross test, and the Jetson option. Included before VigilDeps.cmake.

# The engine and its tests need only Highway, nlohmann_json and GoogleTest,
# so the arm64 cross build installs no OpenCV/SQLite/curl for arm64.
set(VIGIL_ENGINE_CONCERNS
  common inference/gguf inference/kernels inference/weights
  inference/tokenizer inference/text inference/vision inference/audio inference)
if(VIGIL_ENGINE_ONLY)
  # Test folders (under tests/) whose libraries exist in this build. The
  # vision golden tests need vigil_gemma_preprocess (OpenCV): not here.
  set(VIGIL_TEST_DIRS common golden inference/gguf inference/kernels
      inference/tokenizer inference/text inference/audio)
  set(VIGIL_BUILD_BENCH OFF CACHE BOOL "" FORCE)
endif()

# Arm: the Raspberry Pi 5 (Cortex-A76) and Jetson Orin (A78AE) have NEON but
# no SVE, and the kernels keep register tiles in arrays of vectors, which
# sizeless SVE types forbid; so Highway builds NEON (+ scalar) only. Keeps
# kernels/targets.h's x86 choice (SSSE3 off) for symmetry.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  add_compile_definitions(
    "HWY_DISABLED_TARGETS=(HWY_SSSE3|HWY_SVE|HWY_SVE2|HWY_SVE_256|HWY_SVE2_128)")
endif()

# Jetson (Orin: Cortex-A78AE cores). Until the CUDA backend lands the CPU
# engine is what runs, so tune it for the Orin cores; override with
# -DVIGIL_CPU_FLAGS=... (empty for a generic arm64 binary).
if(VIGIL_WITH_CUDA)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(VIGIL_CPU_FLAGS "-mcpu=cortex-a78ae" CACHE STRING "Target CPU flags")
  else()
    set(VIGIL_CPU_FLAGS "" CACHE STRING "Target CPU flags")
  endif()
  # Orin is sm_87; the x86 CI box only compiles, so any supported arch works.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 87)
  endif()
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  enable_language(CUDA)
  find_package(CUDAToolkit REQUIRED)
else()
  set(VIGIL_CPU_FLAGS "" CACHE STRING "Target CPU flags")
endif()
if(VIGIL_CPU_FLAGS)
  separate_arguments(_vigil_cpu_flags UNIX_COMMAND "${VIGIL_CPU_FLAGS}")
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:${_vigil_cpu_flags}>)
endif()
