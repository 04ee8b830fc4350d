# SPDX-License-Identifier: Apache-2.0
# Cross build of the WHOLE appliance for arm64 against a Debian 12 arm64
# sysroot folder (deploy/make-arm64-sysroot.sh; deploy/build-deb-arm64.sh
# uses it). The engine-only cross test uses multiarch instead
# (toolchain-aarch64-linux-gnu.cmake); the full app cannot: libopencv-dev
# for arm64 and amd64 do not co-install.
# Set VIGIL_ARM64_SYSROOT (cache variable or environment).
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-aarch64-linux-gnu.cmake)

if(NOT VIGIL_ARM64_SYSROOT AND DEFINED ENV{VIGIL_ARM64_SYSROOT})
  set(VIGIL_ARM64_SYSROOT "$ENV{VIGIL_ARM64_SYSROOT}")
endif()
if(NOT IS_DIRECTORY "${VIGIL_ARM64_SYSROOT}/usr/include")
  message(FATAL_ERROR "VIGIL_ARM64_SYSROOT='${VIGIL_ARM64_SYSROOT}' is not "
          "an arm64 sysroot (deploy/make-arm64-sysroot.sh makes one)")
endif()
# try_compile projects re-read this file: hand them the path.
set(ENV{VIGIL_ARM64_SYSROOT} "${VIGIL_ARM64_SYSROOT}")
set(CMAKE_SYSROOT "${VIGIL_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads only the sysroot's .pc files and prefixes their -I/-L.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${VIGIL_ARM64_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${VIGIL_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${VIGIL_ARM64_SYSROOT}/usr/share/pkgconfig")

# Binaries run under qemu with the sysroot's loader and libraries.
if(VIGIL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${VIGIL_QEMU_AARCH64} -cpu
      ${VIGIL_QEMU_CPU} -L ${VIGIL_ARM64_SYSROOT})
endif()
