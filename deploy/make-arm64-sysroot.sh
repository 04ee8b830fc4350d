#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds an arm64 Debian 12 sysroot in a folder WITHOUT installing anything
# on the host: a throwaway apt state (the host's sources, arch arm64, an empty
# dpkg status) computes the dependency closure of the -dev packages vigil
# builds against and downloads it; each .deb is unpacked with `dpkg-deb -x`
# (nothing is executed). Why not multiarch: libopencv-dev:arm64 cannot be
# co-installed with the host's amd64 libopencv-dev.
#
# The sysroot also gets a small dpkg database (var/lib/dpkg: status, info/
# *.list, *.shlibs, *.symbols) so dpkg-shlibdeps can compute the arm64
# package's Depends exactly as for amd64. Its *.list paths carry the sysroot
# prefix, because dpkg-shlibdeps finds the libraries there (-l SYSROOT/...)
# and asks `dpkg-query --search` for the path it found.
#
# Idempotent: the downloaded .debs stay in CACHE/apt/cache/archives, and the
# sysroot is rebuilt only when that set of .debs (or this script) changes.
# Usage: make-arm64-sysroot.sh CACHE_DIR   (sysroot: CACHE_DIR/sysroot)
set -euo pipefail
CACHE=$(mkdir -p "${1:?cache dir}" && cd "$1" && pwd)
SYSROOT="$CACHE/sysroot"
A="$CACHE/apt"
fail() { echo "make-arm64-sysroot: $*" >&2; exit 1; }

# What the full appliance links (cmake/VigilDeps.cmake, capture/audio,
# vision): the same -dev packages as scripts/install-deps.sh, for arm64,
# plus the C/C++ runtime the cross compiler links from the sysroot.
pkgs=(libc6-dev libstdc++-12-dev libgcc-12-dev
      libhwy-dev nlohmann-json3-dev libyaml-cpp-dev libsqlitecpp-dev
      libsqlite3-dev libcurl4-openssl-dev libssl-dev libopencv-dev
      libcpp-httplib-dev libmosquitto-dev libjpeg62-turbo-dev
      libavformat-dev libavcodec-dev libavutil-dev libswresample-dev
      libasound2-dev)

source "$(dirname "$0")/arm64-apt.sh"
apt_arm64_lists || fail "apt-get update (arm64 lists) failed"
apt_arm64 install -y --download-only --no-install-recommends "${pkgs[@]}" \
  >"$A/log/download.log" 2>&1 ||
  { tail -20 "$A/log/download.log"; fail "download of the arm64 closure failed"; }
apt_arm64 autoclean >/dev/null  # drop .debs that newer versions replaced

debs=("$A"/cache/archives/*.deb)
stamp="$CACHE/sysroot.stamp"
# The set of .debs and this unpacking code decide the sysroot.
want=$({ printf '%s\n' "${debs[@]##*/}" | sort
         cat "$0" "$(dirname "$0")/arm64-apt.sh" | sha1sum; })
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -d "$SYSROOT" ]]; then
  echo "make-arm64-sysroot: $SYSROOT is up to date (${#debs[@]} packages)"
  exit 0
fi

echo "make-arm64-sysroot: unpacking ${#debs[@]} arm64 packages into $SYSROOT"
rm -rf "$SYSROOT" "$stamp"
db="$SYSROOT/var/lib/dpkg"
mkdir -p "$db/info" "$db/updates"
printf 'arm64\n' >"$db/arch"
echo 1 >"$db/info/format"  # multiarch info file names (pkg:arm64.*)
ctl=$(mktemp -d) && trap 'rm -rf "$ctl"' EXIT
unpack_debs "$SYSROOT" "${debs[@]}"
for deb in "${debs[@]}"; do
  name=$(dpkg-deb -f "$deb" Package)
  # dpkg names the info files of Multi-Arch: same packages pkg:arch.*.
  key=$name
  if [[ "$(dpkg-deb -f "$deb" Multi-Arch)" == same ]]; then key="$name:arm64"; fi
  rm -rf "${ctl:?}"/* && dpkg-deb -e "$deb" "$ctl"
  for f in shlibs symbols; do
    if [[ -f "$ctl/$f" ]]; then cp "$ctl/$f" "$db/info/$key.$f"; fi
  done
  dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' |
    grep -v '^/\?$' | sed "s|^|$SYSROOT|" >"$db/info/$key.list"
  { dpkg-deb -f "$deb" | sed '/^Package:/a Status: install ok installed'
    echo; } >>"$db/status"
done

printf '%s\n' "$want" >"$stamp"
echo "make-arm64-sysroot: $SYSROOT ready ($(du -sm "$SYSROOT" | cut -f1) MiB)"
