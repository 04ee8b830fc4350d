#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side text decoder speed: our bench_text and llama.cpp's llama-bench
# on the same GGUF, machine and thread counts (issue 3 benchmark). llama.cpp is
# not part of this project: build it yourself and pass its llama-bench binary.
#   bench/compare_text_llamacpp.sh BUILD_DIR LLAMA_BENCH MODEL.gguf [THREADS...]
set -euo pipefail
build=$1 llama_bench=$2 model=$3
shift 3
threads=("$@")
((${#threads[@]})) || threads=(1 2)

echo "model: $model"
echo "| threads | ours pp512 t/s | llama.cpp pp512 t/s | pp ratio | ours tg128 t/s | llama.cpp tg128 t/s | tg ratio | ours TTFT ms | ours tg bw fraction | ours peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${threads[@]}"; do
  ours=$("$build/bench/bench_text" "$model" --threads "$t" --prompt 512 --gen 128 | tail -n 1)
  # | t | pp | tg | ttft | GB/s | fraction | rss |
  pp=$(awk -F'|' '{gsub(/ /,"",$3); print $3}' <<<"$ours")
  tg=$(awk -F'|' '{gsub(/ /,"",$4); print $4}' <<<"$ours")
  ttft=$(awk -F'|' '{gsub(/ /,"",$5); print $5}' <<<"$ours")
  frac=$(awk -F'|' '{gsub(/ /,"",$7); print $7}' <<<"$ours")
  rss=$(awk -F'|' '{gsub(/ /,"",$8); print $8}' <<<"$ours")
  # llama.cpp defaults: flash attention auto, F16 KV cache; 2 repetitions.
  csv=$("$llama_bench" -m "$model" -p 512 -n 128 -t "$t" -r 2 -o csv 2>/dev/null)
  lpp=$(awk -F',' 'NR>1 && $0 ~ /"512","0"/ {gsub(/"/,"",$0); print $(NF-1)}' <<<"$csv" | head -n1)
  ltg=$(awk -F',' 'NR>1 && $0 ~ /"0","128"/ {gsub(/"/,"",$0); print $(NF-1)}' <<<"$csv" | head -n1)
  rpp=$(awk -v a="$pp" -v b="$lpp" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "n/a" }')
  rtg=$(awk -v a="$tg" -v b="$ltg" 'BEGIN{ if (b>0) printf "%.2fx", a/b; else print "n/a" }')
  printf "| %s | %s | %.2f | %s | %s | %.2f | %s | %s | %s | %s |\n" \
    "$t" "$pp" "$lpp" "$rpp" "$tg" "$ltg" "$rtg" "$ttft" "$frac" "$rss"
done
