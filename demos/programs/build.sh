#!/usr/bin/env bash
# Builds the example programs into public/programs/*.wasm (committed, so running and testing need
# no clang) and publishes the example list, examples.json, as public/programs/index.json; and the
# plugins demo's plugins, plugins/*.c, into plugins/*.wasm beside them (committed too).
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
# Plugins are WASI reactors (no _start; _initialize runs the C constructors) speaking Extism's ABI
# through the tests' own header, test/plugins/extism.h. The page imports them, so they sit beside
# their sources rather than in public/.
for c in "$here"/plugins/*.c; do
  wasm="${c%.c}.wasm"
  clang-19 --target=wasm32-wasi -O2 -s -mexec-model=reactor -Wall -Werror -I "$here/../../test/plugins" "$c" -o "$wasm"
  echo "built plugins/$(basename "$wasm") ($(wc -c <"$wasm") bytes)"
done
