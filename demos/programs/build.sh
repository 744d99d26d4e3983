#!/usr/bin/env bash
# Builds the example programs into public/programs/*.wasm (committed, so running and testing need
# no clang) and publishes the example list, examples.json, as public/programs/index.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../public/programs"
command -v clang-19 >/dev/null || {
  echo "build.sh: clang-19 not found; on Debian: apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2
  exit 1
}
mkdir -p "$out"
for c in "$here"/*.c; do
  name="$(basename "$c" .c)"
  clang-19 --target=wasm32-wasi -O2 -s -Wall -Werror "$c" -o "$out/$name.wasm"
  echo "built $name.wasm ($(wc -c <"$out/$name.wasm") bytes)"
done
cp "$here/examples.json" "$out/index.json"
