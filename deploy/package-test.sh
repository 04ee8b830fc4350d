#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb from a configured build dir (cpack) and checks it:
#  1. control data: name, arch, Depends (dpkg-shlibdeps libs + adduser),
#     conffiles, maintainer scripts; the file list;
#  2. installs it into a clean Debian 12 root (debootstrap --variant=minbase,
#     cached as a tarball in the build dir) with apt, which resolves Depends
#     from the mirror, and checks: files, the vigil user and its groups, the
#     data dir, the enabled unit, `vigil --version` and `vigil check` of the
#     shipped config inside the root, `systemd-analyze verify --root`, then
#     purge. Needs root and the Debian mirror (CI has both).
# Usage: package-test.sh BUILD_DIR   Env: DEBIAN_MIRROR, KEEP_ROOT=1.
set -euo pipefail
BUILD_DIR=$(cd "${1:?build dir}" && pwd)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
OUT="$BUILD_DIR/deb-out"
fail() { echo "package-test: $*" >&2; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
(cd "$BUILD_DIR" && cpack -G DEB -B "$OUT" >/dev/null) || fail "cpack failed"
deb=$(ls "$OUT"/vigil_*.deb | head -1)
[[ -f "$deb" ]] || fail "no .deb in $OUT"
echo "package-test: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# 1. Control data and contents.
info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == vigil ]] || fail "Package is '$(field Package)'"
[[ $(field Architecture) == $(dpkg --print-architecture) ]] ||
  fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
for lib in adduser libc6 libstdc++6 libsqlite3-0 libcurl4 libssl3 \
    libopencv-imgcodecs libyaml-cpp0.7 libcpp-httplib; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
for f in conffiles postinst prerm postrm; do
  grep -q " $f" <<<"$info" || fail "control lacks $f"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles |
  grep -qx /etc/vigil/config.yaml || fail "config.yaml is not a conffile"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/vigil ./lib/systemd/system/vigil.service \
    ./usr/lib/tmpfiles.d/vigil.conf ./lib/udev/rules.d/70-vigil-cameras.rules \
    ./etc/vigil/config.yaml ./usr/share/doc/vigil/README.md; do
  grep -qx "$f" <<<"$files" || fail "package lacks $f"
done

# 2. Install into a clean root.
[[ $(id -u) -eq 0 ]] || fail "the clean-root install needs root"
command -v debootstrap >/dev/null || fail "debootstrap missing (apt-get install debootstrap)"
base="$BUILD_DIR/deb-root-base.tar"
root="$BUILD_DIR/deb-root"
cleanup() {
  for m in proc dev/pts dev; do umount "$root/$m" 2>/dev/null || true; done
  if [[ "${KEEP_ROOT:-0}" != 1 ]]; then rm -rf "$root"; fi
}
trap cleanup EXIT
cleanup
if [[ ! -f "$base" ]]; then
  echo "package-test: debootstrap bookworm (cached in $base)"
  debootstrap --variant=minbase bookworm "$root.tmp" "$MIRROR" >/dev/null ||
    fail "debootstrap from $MIRROR failed"
  tar -C "$root.tmp" -cf "$base" . && rm -rf "$root.tmp"
fi
mkdir -p "$root" && tar -C "$root" -xf "$base"
mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts"
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/vigil.deb"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
in_root apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq \
  --no-install-recommends systemd /tmp/vigil.deb > "$OUT/install.log" 2>&1 ||
  { tail -20 "$OUT/install.log"; fail "apt-get install of the .deb failed"; }

[[ -x "$root/usr/bin/vigil" ]] || fail "/usr/bin/vigil not installed"
in_root vigil --version | grep -q "^vigil " || fail "vigil --version failed"
in_root id vigil >/dev/null || fail "postinst created no vigil user"
groups=$(in_root id -nG vigil)
for g in video audio; do grep -qw "$g" <<<"$groups" || fail "vigil not in $g"; done
owner=$(in_root stat -c '%U %a' /var/lib/vigil)  # names from the root's passwd
[[ "$owner" == "vigil 750" ]] || fail "/var/lib/vigil is $owner"
[[ -L "$root/etc/systemd/system/multi-user.target.wants/vigil.service" ]] ||
  fail "vigil.service not enabled"
in_root su -s /bin/sh vigil -c "vigil check --config /etc/vigil/config.yaml" \
  >/dev/null || fail "vigil check of /etc/vigil/config.yaml failed as vigil"
out=$(systemd-analyze verify --man=no --root="$root" vigil.service 2>&1) ||
  fail "systemd-analyze verify --root: $out"

# Purge removes the program and the user but keeps the data.
DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -qq vigil >/dev/null 2>&1 ||
  fail "purge failed"
[[ ! -e "$root/usr/bin/vigil" ]] || fail "purge left /usr/bin/vigil"
[[ -d "$root/var/lib/vigil" ]] || fail "purge deleted the user's data"
echo "package-test: $(basename "$deb") installs, enables and purges cleanly"
