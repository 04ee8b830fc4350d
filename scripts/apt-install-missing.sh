# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/install-deps.sh and the deploy/ scripts.
# apt_install_missing LABEL PKG...: installs, with apt, the packages dpkg does
# not list as installed (sudo when not root); nothing when all are there.
apt_install_missing() {
  local label=$1 p
  shift
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
      grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "$label: installing ${missing[*]}"
  # Foreign-architecture packages (name:arm64) need the architecture added.
  for p in "${missing[@]}"; do
    if [[ "$p" == *:arm64 ]] &&
       ! dpkg --print-foreign-architectures | grep -qx arm64; then
      $sudo dpkg --add-architecture arm64
    fi
  done
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}
