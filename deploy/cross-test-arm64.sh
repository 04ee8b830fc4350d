#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Cross-builds the inference engine and its tests for arm64 (Raspberry Pi 5,
# Jetson) on x86-64 Debian 12 and runs them under qemu-user as a Cortex-A76,
# so Highway dispatches to NEON. Installs what is missing (multiarch arm64).
# Tests run: every kernels test (NEON + scalar reference), gguf, tokenizer,
# text (golden logits vs llama.cpp) and common; not the vision golden tests
# (their preprocessing needs OpenCV for arm64), not `network`/`slow` labels.
# Env: BUILD_DIR (default build-arm64), VIGIL_QEMU_CPU (default cortex-a76;
# any qemu -cpu name), JOBS (default nproc), CROSS_TEST_REGEX (ctest -R).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-arm64}
JOBS=${JOBS:-$(nproc)}
QEMU_CPU_NAME=${VIGIL_QEMU_CPU:-cortex-a76}

if [[ "$(uname -m)" != "x86_64" ]]; then
  echo "cross-test-arm64: host is $(uname -m); build natively instead" >&2
  exit 0
fi

pkgs=(crossbuild-essential-arm64 qemu-user-static cmake ninja-build
      pkg-config nlohmann-json3-dev libhwy-dev:arm64 libgtest-dev:arm64
      libgmock-dev:arm64)
# shellcheck source=scripts/apt-install-missing.sh
source scripts/apt-install-missing.sh
apt_install_missing cross-test-arm64 "${pkgs[@]}"

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64-linux-gnu.cmake" \
  -DVIGIL_QEMU_CPU="$QEMU_CPU_NAME" \
  -DVIGIL_ENGINE_ONLY=ON -DVIGIL_BUILD_BENCH=OFF
cmake --build "$BUILD_DIR" -j"$JOBS"

# The binaries really are arm64 (not a silently native build).
file "$BUILD_DIR/tests/inference/kernels/kernels_test" | grep -q aarch64 || {
  echo "cross-test-arm64: kernels_test is not an aarch64 binary" >&2; exit 1; }

# Highway's per-target tests must include NEON (not only the scalar one).
n_neon=$(ctest --test-dir "$BUILD_DIR" -N -R "NEON" | sed -n 's/^Total Tests: //p')
[[ "${n_neon:-0}" -gt 0 ]] || {
  echo "cross-test-arm64: no NEON kernel tests were discovered" >&2; exit 1; }
echo "cross-test-arm64: $n_neon NEON kernel test cases"

# qemu-user cannot start threads in this sandbox (a clone() of a second
# thread never returns), so every ThreadPool runs inline and the tests that
# need a second thread are left to the native run: thread-pool tests and the
# gguf concurrent-readers test. qemu-user also drops paging advice (madvise
# hints are accepted and ignored) and rewrites /proc/self/smaps, so the
# paging-advice tests run natively only.
export VIGIL_MAX_THREADS=1
ctest_args=(--test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS"
            --timeout 900 -LE "network|slow"
            -E "ThreadPoolTest|ConcurrentReaders|PagingAdviceTest")
if [[ -n "${CROSS_TEST_REGEX:-}" ]]; then ctest_args+=(-R "$CROSS_TEST_REGEX"); fi
ctest "${ctest_args[@]}"
echo "cross-test-arm64: all selected arm64 tests passed under qemu ($QEMU_CPU_NAME)"
