#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side text decoder speed: our bench_text and llama.cpp's llama-bench
# on the same GGUF, machine and thread counts (issue 3 benchmark). llama.cpp is
# not part of this project: build it yourself and pass its llama-bench binary.
#   bench/compare_text_llamacpp.sh BUILD_DIR LLAMA_BENCH MODEL.gguf [THREADS...]
# ROUNDS (default 3) runs alternate ours, llama.cpp, ours, ... and the table
# shows each engine's median: memory bandwidth on shared or virtual machines
# drifts within a minute, and alternating gives both engines the same drift.
set -euo pipefail
build=$1 llama_bench=$2 model=$3
shift 3
threads=("$@")
((${#threads[@]})) || threads=(1 2)
rounds=${ROUNDS:-3}

# Median of the numbers on stdin, one per line.
median() { sort -g | awk '{v[NR] = $1} END {
  if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
  else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Field $1 (awk numbering with | separators: 3 pp, 4 tg, 5 ttft, 7 frac, 8 rss)
# of a bench_text row "| t | pp | tg | ttft | GB/s | frac | rss |"; drops spaces and %.
field() { awk -F'|' -v f="$1" '{gsub(/[ %]/, "", $f); print $f}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

echo "model: $model (median of $rounds alternating rounds per engine)"
echo "| threads | ours pp512 t/s | llama.cpp pp512 t/s | pp ratio | ours tg128 t/s | llama.cpp tg128 t/s | tg ratio | ours TTFT ms | ours tg bw fraction | ours peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${threads[@]}"; do
  ours_rows="" llama_csv=""
  for ((r = 0; r < rounds; ++r)); do
    ours_rows+=$("$build/bench/bench_text" "$model" --threads "$t" --prompt 512 --gen 128 | tail -n 1)$'\n'
    # llama.cpp defaults: flash attention auto, F16 KV cache.
    llama_csv+=$("$llama_bench" -m "$model" -p 512 -n 128 -t "$t" -r 1 -o csv 2>/dev/null)$'\n'
  done
  ours_rows=$(grep '^|' <<<"$ours_rows")
  pp=$(field 3 <<<"$ours_rows" | median)
  tg=$(field 4 <<<"$ours_rows" | median)
  ttft=$(field 5 <<<"$ours_rows" | median)
  frac=$(field 7 <<<"$ours_rows" | median)
  rss=$(field 8 <<<"$ours_rows" | sort -g | tail -n 1)
  lpp=$(awk -F',' '$0 ~ /"512","0"/ {gsub(/"/, "", $0); print $(NF-1)}' <<<"$llama_csv" | median)
  ltg=$(awk -F',' '$0 ~ /"0","128"/ {gsub(/"/, "", $0); print $(NF-1)}' <<<"$llama_csv" | median)
  printf "| %s | %.2f | %.2f | %s | %.2f | %.2f | %s | %.0f | %.0f%% | %s |\n" \
    "$t" "$pp" "$lpp" "$(ratio "$pp" "$lpp")" "$tg" "$ltg" \
    "$(ratio "$tg" "$ltg")" "$ttft" "$frac" "$rss"
done
