// Determinism, as ZeroVM had it: virtual time that only moves when the guest looks at it or
// sleeps, and randomness from a seeded stream. Nothing of the host reaches the guest.
import type { Clock } from './config.js';

type ChaCha20 = typeof import('./chacha.js').chacha20;
let chacha20: ChaCha20 | null = null;

/**
 * Loads the cipher seededRandom draws with (once). Most programs never draw: a worker loads it
 * only for a module that imports random_get, so a VM worker's script is ~5 KB smaller. Null once loaded.
 */
export function loadKeystream(): Promise<void> | null {
  if (chacha20) return null;
  return import('./chacha.js').then((m) => {
    chacha20 = m.chacha20;
  });
}

/** Every clock read advances virtual time by this much, so that time never stands still. */
export const TICK_NS = 1000n;

/** Realtime starts at `epochNs`, monotonic and the CPU clocks at 0. */
export function virtualClock(epochNs: bigint): Clock {
  let elapsed = 0n;
  return {
    virtual: true,
    now(id) {
      elapsed += TICK_NS;
      return id === 0 ? epochNs + elapsed : elapsed;
    },
    resolution: () => TICK_NS,
    sleep(ns) {
      elapsed += ns;
    },
  };
}

const BLOCKS = 64; // ChaCha20 blocks of keystream made at a time
const zeros = new Uint8Array(BLOCKS * 64);
const NONCE = new Uint8Array(12);

/** A ChaCha20 keystream keyed by `seed`: the same seed gives the same bytes, call after call. Draws need loadKeystream() first. */
export function seededRandom(seed: number): (buf: Uint8Array) => void {
  // Key and stream are made at the first draw: most VMs never draw.
  let key: Uint8Array | null = null;
  let stream: Uint8Array | null = null;
  let counter = 0;
  let at = zeros.length;
  return (buf) => {
    if (!chacha20) throw new Error('seededRandom: drawn from before loadKeystream() resolved');
    if (!key || !stream) {
      key = new Uint8Array(32);
      new DataView(key.buffer).setBigUint64(0, BigInt(seed), true);
      stream = new Uint8Array(zeros.length);
    }
    for (let done = 0; done < buf.length; ) {
      if (at === stream.length) {
        chacha20(key, NONCE, zeros, stream, counter);
        counter += BLOCKS;
        at = 0;
      }
      const n = Math.min(buf.length - done, stream.length - at);
      buf.set(stream.subarray(at, at + n), done);
      at += n;
      done += n;
    }
  };
}
