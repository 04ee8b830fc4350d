#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# README command 1: installs what is missing, builds `vigil` and starts
# `vigil serve` on its embedded defaults (SQLite, demo camera, ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j"$(nproc)" --target vigil
exec "$BUILD_DIR/app/vigil" serve "$@"
