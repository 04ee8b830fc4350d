#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The arm64 .deb (Raspberry Pi 5, Jetson, any arm64 Debian 12) from this
# x86-64 host, without installing arm64 packages on the host:
#  1. deploy/make-arm64-sysroot.sh: Debian 12 arm64 -dev packages and their
#     closure unpacked into BUILD_DIR/arm64-cache/sysroot (cached);
#  2. the whole appliance cross-compiled against it
#     (cmake/toolchain-aarch64-sysroot.cmake), tests and benchmarks off;
#  3. `cpack -G DEB`: Depends from dpkg-shlibdeps run against the sysroot's
#     package database (cmake/VigilCPackSysroot.cmake);
#  4. deploy/verify-deb-arm64.sh checks the package and runs it under qemu,
#     comparing Depends and files with the amd64 package when one exists
#     (AMD64_DEB, or the newest build*/deb-out/vigil_*_amd64.deb).
# Idempotent: the .debs, the sysroot and the build dir are reused.
# Usage: build-deb-arm64.sh [BUILD_DIR]   (default build-arm64-deb)
# Env: JOBS (default nproc), ARM64_CACHE (default BUILD_DIR/arm64-cache),
#      AMD64_DEB.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=$(mkdir -p "${1:-build-arm64-deb}" && cd "${1:-build-arm64-deb}" && pwd)
JOBS=${JOBS:-$(nproc)}
CACHE=${ARM64_CACHE:-$BUILD_DIR/arm64-cache}
fail() { echo "build-deb-arm64: $*" >&2; exit 1; }

if [[ "$(uname -m)" != "x86_64" ]]; then
  echo "build-deb-arm64: host is $(uname -m); on arm64 run cpack in a" \
       "native build instead" >&2
  exit 0
fi

# Host (amd64) tools only; nothing :arm64 is installed on the host.
pkgs=(crossbuild-essential-arm64 qemu-user-static cmake ninja-build
      pkg-config dpkg-dev file)
# shellcheck source=scripts/apt-install-missing.sh
source scripts/apt-install-missing.sh
apt_install_missing build-deb-arm64 "${pkgs[@]}"

"$SRC/deploy/make-arm64-sysroot.sh" "$CACHE"

cmake -S "$SRC" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$SRC/cmake/toolchain-aarch64-sysroot.cmake" \
  -DVIGIL_ARM64_SYSROOT="$CACHE/sysroot" \
  -DVIGIL_BUILD_TESTS=OFF -DVIGIL_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"

OUT="$BUILD_DIR/deb-out"
rm -rf "$OUT" && mkdir -p "$OUT"
(cd "$BUILD_DIR" && cpack -G DEB -B "$OUT" >"$OUT/cpack.log" 2>&1) ||
  { tail -30 "$OUT/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$OUT"/vigil_*_arm64.deb 2>/dev/null | head -1)
[[ -f "$deb" ]] || fail "no vigil_*_arm64.deb in $OUT"
echo "build-deb-arm64: built $deb ($(du -k "$deb" | cut -f1) KiB)"

amd64=${AMD64_DEB:-$(ls -t "$SRC"/build*/deb-out/vigil_*_amd64.deb 2>/dev/null |
                     head -1 || true)}
"$SRC/deploy/verify-deb-arm64.sh" "$deb" "$CACHE" ${amd64:+"$amd64"}
echo "build-deb-arm64: $(basename "$deb") verified"
