#!/usr/bin/env bash
# Builds the Extism-ABI test plugins (committed, so tests need no clang): clang-19 from Debian
# (apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32).
# Each is a WASI reactor: no _start; _initialize runs the C constructors; exports by export_name.
set -euo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 missing: apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2; exit 1; }
for c in plugin.c hostile.c host.c wasi.c; do
  clang-19 --target=wasm32-wasi -O2 -s -mexec-model=reactor -Wall -Wextra "$c" -o "${c%.c}.wasm"
done
