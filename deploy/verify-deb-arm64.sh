#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks an arm64 vigil .deb on the x86-64 host (deploy/build-deb-arm64.sh
# runs it after cpack):
#  1. control data: Package, Architecture arm64, Depends from dpkg-shlibdeps
#     with the same package names as the amd64 package (when AMD64_DEB is
#     given), conffiles, maintainer scripts; the same file list as amd64;
#  2. usr/bin/vigil is a stripped aarch64 executable and every NEEDED
#     library (transitively) resolves inside the sysroot;
#  3. a runtime root made ONLY of what apt would install for the .deb on a
#     fresh arm64 bookworm (apt resolves its Depends against the arm64
#     archive; the packages are unpacked, not configured: maintainer
#     scripts need an arm64 machine) resolves every library too, and the
#     binary runs there under qemu: --version, --help, `check` of the
#     shipped /etc/vigil/config.yaml, `cameras` on a fresh data dir (a real
#     SQLite index), `model info` and a `generate` prefill of a tiny GGUF
#     when shared/ref has one.
# Usage: verify-deb-arm64.sh DEB CACHE_DIR [AMD64_DEB]
#   CACHE_DIR: deploy/make-arm64-sysroot.sh's folder (sysroot + apt state).
set -euo pipefail
DEB=$(realpath "${1:?arm64 .deb}")
CACHE=$(cd "${2:?cache dir}" && pwd)
AMD64_DEB=${3:-}
SYSROOT="$CACHE/sysroot"
A="$CACHE/apt"
SRC=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "verify-deb-arm64: $*" >&2; exit 1; }
source "$SRC/deploy/arm64-apt.sh"

# 1. Control data and contents.
field() { dpkg-deb -f "$1" "$2"; }
[[ $(field "$DEB" Package) == vigil ]] || fail "Package is not vigil"
[[ $(field "$DEB" Architecture) == arm64 ]] ||
  fail "Architecture is '$(field "$DEB" Architecture)'"
# Package names of a Depends line, versions dropped, one per line, sorted.
dep_names() { tr ',' '\n' <<<"$1" | sed 's/([^)]*)//g; s/ //g' | sort -u; }
depends=$(field "$DEB" Depends)
echo "verify-deb-arm64: Depends: $depends"
for lib in adduser libc6 libstdc++6 libsqlite3-0 libcurl4 libssl3 \
    libopencv-imgcodecs libyaml-cpp0.7 libcpp-httplib libhwy1; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib"
done
if [[ -n "$AMD64_DEB" ]]; then
  diff <(dep_names "$(field "$AMD64_DEB" Depends)") \
       <(dep_names "$depends") >&2 ||
    fail "Depends names differ from $(basename "$AMD64_DEB") (< amd64, > arm64)"
  diff <(dpkg-deb -c "$AMD64_DEB" | awk '{print $6}' | sort) \
       <(dpkg-deb -c "$DEB" | awk '{print $6}' | sort) >&2 ||
    fail "file list differs from the amd64 package"
  echo "verify-deb-arm64: same Depends names and files as $(basename "$AMD64_DEB")"
fi
info=$(dpkg-deb -I "$DEB")
for f in conffiles postinst prerm postrm; do
  grep -q " $f" <<<"$info" || fail "control lacks $f"
done
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/vigil ./lib/systemd/system/vigil.service \
    ./usr/lib/tmpfiles.d/vigil.conf ./lib/udev/rules.d/70-vigil-cameras.rules \
    ./etc/vigil/config.yaml ./usr/share/doc/vigil/README.md; do
  grep -qx "$f" <<<"$files" || fail "package lacks $f"
done

# 2. The binary and its libraries in the sysroot.
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$DEB" "$work/pkg"
desc=$(file -b "$work/pkg/usr/bin/vigil")
grep -q "ARM aarch64" <<<"$desc" || fail "usr/bin/vigil is not aarch64: $desc"
grep -q ", stripped" <<<"$desc" || fail "usr/bin/vigil is not stripped"

# unresolved ROOT ELF: prints each NEEDED soname (transitively) that no
# library directory of ROOT holds; the loader's own search path + ld.so.conf.
unresolved() {
  local root=$1 dirs=() queue=("$2") seen=" " f so d found
  dirs=("$root/lib/aarch64-linux-gnu" "$root/usr/lib/aarch64-linux-gnu"
        "$root/lib" "$root/usr/lib")
  for d in $(cat "$root"/etc/ld.so.conf.d/*.conf 2>/dev/null | grep '^/'); do
    dirs+=("$root$d")
  done
  while ((${#queue[@]})); do
    f=${queue[0]} && queue=("${queue[@]:1}")
    for so in $(aarch64-linux-gnu-readelf -d "$f" |
                sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      [[ "$seen" == *" $so "* ]] && continue
      seen+="$so "
      found=""
      for d in "${dirs[@]}"; do
        if [[ -e "$d/$so" ]]; then found="$d/$so" && break; fi
      done
      if [[ -n "$found" ]]; then queue+=("$found"); else echo "$so"; fi
    done
  done
}
missing=$(unresolved "$SYSROOT" "$work/pkg/usr/bin/vigil")
[[ -z "$missing" ]] || fail "NEEDED not in the sysroot: $missing"
echo "verify-deb-arm64: $desc"
echo "verify-deb-arm64: every NEEDED library resolves in the sysroot"

# 3. A root with only the Depends closure apt picks for the .deb.
rt_debs="$CACHE/runtime-debs"
mkdir -p "$rt_debs/partial"
# Most of them are already in the sysroot's download cache: link, not fetch.
cp -l -n "$A"/cache/archives/*.deb "$rt_debs"/ 2>/dev/null || true
apt_arm64_lists || fail "apt-get update (arm64 lists) failed"
apt_rt() { apt_arm64 -o Dir::Cache::archives="$rt_debs" "$@"; }
plan=$(apt_rt install -s --no-install-recommends "$DEB" 2>&1) ||
  { echo "$plan" | tail -20 >&2; fail "apt cannot resolve the Depends"; }
apt_rt install -y --download-only --no-install-recommends "$DEB" \
  >"$work/download.log" 2>&1 ||
  { tail -20 "$work/download.log" >&2; fail "download of the Depends failed"; }
debs=()
while read -r name ver; do
  [[ "$name" == vigil ]] && continue
  f=$(ls "$rt_debs/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1)
  [[ -n "$f" ]] || fail "no .deb for $name $ver in $rt_debs"
  debs+=("$f")
done < <(sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1 \2/p' <<<"$plan")
rt="$work/runtime-root"
unpack_debs "$rt" "${debs[@]}" "$DEB"
missing=$(unresolved "$rt" "$rt/usr/bin/vigil")
[[ -z "$missing" ]] || fail "the Depends closure lacks: $missing"
echo "verify-deb-arm64: apt installs ${#debs[@]} arm64 packages for it;" \
     "every NEEDED library resolves in that root"

# qemu-user cannot start threads in this sandbox: one thread everywhere.
run() {
  env -i PATH=/usr/bin:/bin VIGIL_MAX_THREADS=1 HOME="$work" \
    qemu-aarch64-static -cpu cortex-a76 -L "$rt" "$rt/usr/bin/vigil" "$@"
}
ver=$(run --version) || fail "vigil --version failed under qemu"
grep -q "^vigil " <<<"$ver" || fail "vigil --version printed '$ver'"
run --help | grep -q "usage: vigil" || fail "vigil --help failed under qemu"
run check --config "$rt/etc/vigil/config.yaml" >/dev/null ||
  fail "vigil check of the shipped config failed under qemu"
cams=$(run cameras --config "$rt/etc/vigil/config.yaml" --data "$work/data") ||
  fail "vigil cameras failed under qemu"
grep -q "^demo " <<<"$cams" || fail "vigil cameras did not list demo: $cams"
[[ -f "$work/data/index.sqlite" ]] ||
  fail "vigil cameras made no SQLite index in the data dir"
gguf="$SRC/../shared/ref/text/gemma4-e2b-tiny-Q4_K_M.gguf"
if [[ -f "$gguf" ]]; then
  run model info "$gguf" | grep -q "^architecture: gemma4" ||
    fail "vigil model info failed under qemu"
  # The forward pass on the NEON kernels: a 15-token prefill.
  run generate --model "$gguf" --prompt hello --max-tokens 4 --greedy \
    --threads 1 2>&1 | grep -q "^prompt: 15 tokens" ||
    fail "vigil generate (prefill) failed under qemu"
  echo "verify-deb-arm64: vigil model info + generate run $(basename "$gguf")" \
       "under qemu"
fi
echo "verify-deb-arm64: $ver runs under qemu-aarch64 (cortex-a76):" \
     "--help, check, cameras"
