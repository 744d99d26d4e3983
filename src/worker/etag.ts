// Etag hashing: XXH64, streaming and synchronous, far faster than the channels it hashes (see
// `npm run bench`). The hash is xxhash-wasm's wasm, compiled on the page and given at attach (see
// host/etag-module.ts); this wrapper of its exports is ours because the library's own comes with
// the bytes, which every worker would then compile again.
import type { Hasher } from '../kernel/index.js';

/** The exports used (pointers into `mem`; an i64 comes back as a signed BigInt). */
interface Xxh64Exports {
  mem: WebAssembly.Memory;
  xxh64(input: number, length: number, seed: bigint): bigint;
  init64(state: number, seed: bigint): void;
  update64(state: number, input: number, length: number): void;
  digest64(state: number): bigint;
}

/** A streaming state's size. It is worked on at offset 0; the input goes right after it. */
const STATE = 88;

/** Updates are cut to this size: each is copied into the hash's memory, which would otherwise grow to the largest write. */
const PIECE = 1 << 20;

/** A first update up to this size is held and hashed in one call at the digest: most etags hash one write. */
const HELD = 1 << 12;

const EMPTY = new Uint8Array(0);

const hex = (hash: bigint) => BigInt.asUintN(64, hash).toString(16).padStart(16, '0');

/** The worker's factory of etag hashers, on one instance of `module` that they all share. */
export function etagHashers(module: WebAssembly.Module): () => Hasher {
  const x = new WebAssembly.Instance(module).exports as unknown as Xxh64Exports;
  let memory = new Uint8Array(x.mem.buffer);
  /** Puts `bytes` after the state, growing the memory if they do not fit. */
  const place = (bytes: Uint8Array) => {
    const short = STATE + bytes.length - memory.length;
    if (short > 0) {
      x.mem.grow(Math.ceil(short / 65536));
      memory = new Uint8Array(x.mem.buffer);
    }
    memory.set(bytes, STATE);
  };
  return () => {
    // A streaming state costs more to make than a small input costs to hash, so it is made only
    // for a second update, or a big one. Between calls it is kept here: other hashers use offset 0.
    let state: Uint8Array | null = null;
    let held: Uint8Array | null = null;
    const feed = (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length; at += PIECE) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + PIECE));
        place(piece);
        memory.set(state!);
        x.update64(0, STATE, piece.length);
        state!.set(memory.subarray(0, STATE));
      }
    };
    return {
      update(bytes) {
        if (!state && !held && bytes.length <= HELD) {
          held = bytes.slice(); // a view of guest memory, which the guest may change
          return;
        }
        if (!state) {
          memory.fill(0, 0, STATE);
          x.init64(0, 0n);
          state = memory.slice(0, STATE);
          if (held) feed(held);
          held = null;
        }
        feed(bytes);
      },
      digest() {
        if (state) {
          memory.set(state);
          return hex(x.digest64(0));
        }
        const bytes = held ?? EMPTY;
        place(bytes);
        return hex(x.xxh64(STATE, bytes.length, 0n));
      },
    };
  };
}
