#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side vision encode time: our bench_vision and llama.cpp's
# llama-mtmd-cli on the same mmproj, a 1920x1080 image, the same soft-token
# budget and thread count (issue 4 benchmark). llama.cpp is not part of this
# project: build it yourself and pass its llama-mtmd-cli binary.
#   bench/compare_vision_llamacpp.sh BUILD_DIR LLAMA_MTMD_CLI TEXT.gguf \
#       MMPROJ.gguf IMAGE_1920x1080.jpg [BUDGETS] [THREADS]
# BUDGETS and THREADS are comma lists (default 70,140,280,560,1120 and 1,2).
set -euo pipefail
build=$1 mtmd=$2 text=$3 mmproj=$4 image=$5
budgets=${6:-70,140,280,560,1120}
threads=${7:-1,2}

echo "mmproj: $mmproj, image: $image"
echo "| budget | threads | tokens | ours encode ms | llama.cpp encode ms | ratio |"
echo "|---:|---:|---:|---:|---:|---:|"
for b in ${budgets//,/ }; do
  for t in ${threads//,/ }; do
    # budget size tokens patches threads wall cpu ...
    row=$("$build/bench/bench_vision" "$mmproj" --threads "$t" --budgets "$b" \
            --reps 1 | tail -n 1)
    tokens=$(awk '{print $3}' <<<"$row")
    ours=$(awk '{print $6}' <<<"$row")
    # llama.cpp logs "image slice encoded in N ms" per slice (older builds)
    # or "mtmd batch encoding done in N ms"; random-weight files carry no
    # chat template, so name one.
    theirs=$("$mtmd" -m "$text" --mmproj "$mmproj" --image "$image" \
               -p "Describe." -n 1 -t "$t" --image-min-tokens "$b" \
               --image-max-tokens "$b" --chat-template gemma 2>&1 |
             awk '/slice encoded in|encoding done in/ {for (i = 1; i <= NF; ++i)
                    if ($i == "in") {s += $(i + 1)}} END {print s + 0}' ||
             true)  # a failed llama.cpp run prints n/a, the table goes on
    ratio=$(awk -v a="$ours" -v b="$theirs" \
              'BEGIN{ if (a > 0 && b > 0) printf "%.2fx", b / a; else print "n/a" }')
    printf "| %s | %s | %s | %.0f | %s | %s |\n" "$b" "$t" "$tokens" "$ours" \
      "$theirs" "$ratio"
  done
done
