#!/usr/bin/env bash
# Builds the benchmark guests (committed, so `npm run bench` needs no clang): clang-19 from Debian
# (apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32). Each takes its sizes
# and counts from argv, so one binary serves every runtime.
set -euo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 missing: apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2; exit 1; }
for c in *.c; do
  clang-19 --target=wasm32-wasi -O2 -s "$c" -o "${c%.c}.wasm"
done
