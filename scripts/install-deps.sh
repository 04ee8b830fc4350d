#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 / Raspberry Pi OS bookworm package vigil needs to
# build, run and test. Idempotent: installs only what is missing.
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake ninja-build pkg-config git
  libhwy-dev nlohmann-json3-dev libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev
  libcurl4-openssl-dev libssl-dev libopencv-dev libcpp-httplib-dev
  libmosquitto-dev libjpeg-dev
  libavformat-dev libavcodec-dev libswresample-dev libasound2-dev
)
TEST_PKGS=(
  libgtest-dev libgmock-dev mosquitto chromium clang
  libclang-rt-14-dev  # libFuzzer runtime for the fuzz targets
  debootstrap dpkg-dev fakeroot file  # .deb build and clean-root install test
  systemd udev  # systemd-analyze / udevadm checks of firmware/
)
# Node.js and npm (the vocabulary package and Playwright) may come from
# NodeSource, whose nodejs bundles npm and conflicts with Debian's npm: ask for
# the Debian packages only when the commands themselves are missing.
TEST_CMDS=(node:nodejs npm:npm)

want=("${BUILD_PKGS[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${TEST_PKGS[@]}")
  for entry in "${TEST_CMDS[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || want+=("${entry##*:}")
  done
fi
# shellcheck source=scripts/apt-install-missing.sh
source "$(dirname "$0")/apt-install-missing.sh"
apt_install_missing install-deps "${want[@]}"
