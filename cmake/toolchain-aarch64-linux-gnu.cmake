# SPDX-License-Identifier: Apache-2.0
# Cross build for 64-bit Arm (Raspberry Pi 5, Jetson) from x86-64 Debian 12:
# crossbuild-essential-arm64 + arm64 -dev packages through multiarch
# (deploy/cross-test-arm64.sh installs them). Tests run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu and share
# /usr/include with the host; pkg-config must only see the arm64 .pc files.
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# ctest and gtest_discover_tests run every test binary through qemu. The
# Cortex-A76 (Raspberry Pi 5) has NEON but no SVE, so Highway's dynamic
# dispatch picks NEON as on the device (SVE targets are not built anyway).
if(NOT DEFINED VIGIL_QEMU_CPU)
  set(VIGIL_QEMU_CPU cortex-a76)
endif()
find_program(VIGIL_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(VIGIL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR
      ${VIGIL_QEMU_AARCH64} -cpu ${VIGIL_QEMU_CPU} -L /usr/aarch64-linux-gnu)
endif()
