# SPDX-License-Identifier: Apache-2.0
# Read by cpack (CPACK_PROJECT_CONFIG_FILE) for a sysroot cross build: the
# environment dpkg-shlibdeps needs to compute an arm64 package's Depends on
# the x86-64 host. DEB_HOST_ARCH picks aarch64-linux-gnu-objdump and the
# multiarch library paths; DPKG_ADMINDIR points `dpkg-query --search` and
# `--control-path` (shlibs, symbols) at the sysroot's own package database
# (deploy/make-arm64-sysroot.sh writes it).
if(CPACK_VIGIL_SYSROOT)
  set(ENV{DEB_HOST_ARCH} arm64)
  set(ENV{DPKG_ADMINDIR} "${CPACK_VIGIL_SYSROOT}/var/lib/dpkg")
endif()
