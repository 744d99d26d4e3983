// Etag hashing: xxHash64 (xxhash-wasm), streaming and synchronous once its module is loaded —
// far faster than the channels it hashes (see `npm run bench`). Loaded once per worker.
import xxhash from 'xxhash-wasm';
import type { Hasher } from '../kernel/index.js';

/** Updates are cut to this size: xxhash-wasm copies each into its own memory, which would otherwise grow to the largest write. */
const PIECE = 1 << 20;

let factory: Promise<() => Hasher> | null = null;

const EMPTY = new Uint8Array(0);

/** A first update up to this size is held and hashed in one call at the digest: most etags hash one write. */
const HELD = 1 << 12;

async function load(): Promise<() => Hasher> {
  const { create64, h64Raw } = await xxhash();
  return () => {
    // A streaming state costs more to make than a small input costs to hash, so it is made only
    // for a second update, or a big one.
    let state: ReturnType<typeof create64> | null = null;
    let held: Uint8Array | null = null;
    const feed = (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length; at += PIECE) state!.update(bytes.subarray(at, Math.min(bytes.length, at + PIECE)));
    };
    return {
      update(bytes) {
        if (!state && !held && bytes.length <= HELD) {
          held = bytes.slice(); // a view of guest memory, which the guest may change
          return;
        }
        if (!state) {
          state = create64();
          if (held) feed(held);
          held = null;
        }
        feed(bytes);
      },
      digest: () => (state ? state.digest() : h64Raw(held ?? EMPTY)).toString(16).padStart(16, '0'),
    };
  };
}


/** Resolves to the worker's one factory of etag hashers (loading xxhash-wasm the first time). */
export function etagHashers(): Promise<() => Hasher> {
  factory ??= load();
  return factory;
}
