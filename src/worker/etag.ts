// Etag hashing: xxHash64 (xxhash-wasm), streaming and synchronous once its module is loaded —
// far faster than the channels it hashes (see `npm run bench`). Loaded once per worker.
import xxhash from 'xxhash-wasm';
import type { Hasher } from '../kernel/index.js';

/** Updates are cut to this size: xxhash-wasm copies each into its own memory, which would otherwise grow to the largest write. */
const PIECE = 1 << 20;

let factory: Promise<() => Hasher> | null = null;

async function load(): Promise<() => Hasher> {
  const { create64 } = await xxhash();
  return () => {
    const state = create64();
    return {
      update(bytes) {
        for (let at = 0; at < bytes.length; at += PIECE) state.update(bytes.subarray(at, Math.min(bytes.length, at + PIECE)));
      },
      digest: () => state.digest().toString(16).padStart(16, '0'),
    };
  };
}

/** Resolves to the worker's one factory of etag hashers (loading xxhash-wasm the first time). */
export function etagHashers(): Promise<() => Hasher> {
  factory ??= load();
  return factory;
}
