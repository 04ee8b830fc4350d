#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a libFuzzer binary for a bounded time from a seed corpus (read-only,
# in the source tree); new inputs go to WORK_DIR/corpus, crashers to
# WORK_DIR/artifacts. Exit status is libFuzzer's (non-zero on any finding).
# Usage: run_libfuzzer.sh FUZZER WORK_DIR SECONDS SEED_DIR
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3 seeds=$4
mkdir -p "$work/corpus" "$work/artifacts"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
