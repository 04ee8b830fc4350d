# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by deploy/make-arm64-sysroot.sh and deploy/verify-deb-arm64.sh:
# apt for Debian 12 arm64 in a throwaway state folder (the host's sources,
# an empty dpkg status, nothing installed on the host), and unpacking .debs
# into a root folder without running anything from them.
# Needs: A (the apt state folder) set by the caller.

# apt-get for arm64 with state, status, cache and logs under $A.
apt_arm64() {
  mkdir -p "$A/state/lists/partial" "$A/cache/archives/partial" "$A/log"
  touch "$A/status"
  apt-get -q -o Dir::State="$A/state" -o Dir::State::status="$A/status" \
    -o Dir::Cache="$A/cache" -o Dir::Log="$A/log" \
    -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
    -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

# The arm64 package lists, fetched once.
apt_arm64_lists() {
  local lists=("$A"/state/lists/*arm64_Packages*)
  if [[ ! -e "${lists[0]}" ]]; then apt_arm64 update >/dev/null; fi
}

# unpack_debs ROOT DEB...: dpkg-deb -x each, then turn absolute symlinks
# (libfoo.so -> /lib/aarch64-linux-gnu/libfoo.so.1), which would point into
# the host, into relative ones inside ROOT.
unpack_debs() {
  local root=$1 deb link target rel
  shift
  mkdir -p "$root"
  for deb in "$@"; do
    dpkg-deb -x "$deb" "$root"
    library_alternatives "$root" "$deb"
  done
  while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    rel=$(realpath -m -s --relative-to="$(dirname "$link")" "$root$target")
    ln -sfn "$rel" "$link"
  done < <(find "$root" -type l -lname '/*' -print0)
}

# library_alternatives ROOT DEB: the shared-library links a postinst makes
# with update-alternatives (libblas.so.3 -> blas/libblas.so.3, the same for
# LAPACK), which `dpkg-deb -x` cannot: the linker and the loader need them.
library_alternatives() {
  local root=$1 deb=$2 link path
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst 2>/dev/null |
    sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' |
    tr '\t' ' ' | grep -o 'update-alternatives --install  *[^ ]*  *[^ ]*  *[^ ]*' |
    awk '{print $3, $5}' |
    while read -r link path; do
      [[ "$link" == *.so* && ! -e "$root$link" ]] || continue
      ln -sfn "$(realpath -m -s --relative-to="$(dirname "$root$link")" \
                 "$root$path")" "$root$link"
    done || true
}
