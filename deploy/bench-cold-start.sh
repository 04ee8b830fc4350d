#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmark (not a test): cold start of `vigil serve` with the demo camera,
# from exec to the first snapshot file on disk, over N runs with a fresh
# data dir each time. Usage: bench-cold-start.sh VIGIL_BINARY [RUNS]
set -euo pipefail
vigil=${1:?vigil binary}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$runs"); do
  data="$work/data$i"
  cat > "$work/config.yaml" <<YAML
storage: {data_dir: $data}
web: {bind: 127.0.0.1, port: 0}
cameras:
  demo: {kind: demo, interval_s: 10}
YAML
  start=$(date +%s%N)
  "$vigil" serve --config "$work/config.yaml" > "$work/log$i" 2>&1 &
  pid=$!
  first=""
  for _ in $(seq 1 3000); do
    first=$(find "$data/snapshots" -name '*.jpg' 2>/dev/null | head -1 || true)
    [[ -n "$first" ]] && break
    sleep 0.005
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  [[ -n "$first" ]] || { echo "run $i: no snapshot within 15 s"; cat "$work/log$i"; exit 1; }
  echo "run $i: first snapshot after $(( (end - start) / 1000000 )) ms"
done
