// Determinism, as ZeroVM had it: virtual time that only moves when the guest looks at it or
// sleeps, and randomness from a seeded stream. Nothing of the host reaches the guest.
import { chacha20 } from '@noble/ciphers/chacha.js';
import type { Clock } from './config.js';

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

/** A ChaCha20 keystream keyed by `seed`: the same seed gives the same bytes, call after call. */
export function seededRandom(seed: number): (buf: Uint8Array) => void {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setBigUint64(0, BigInt(seed), true);
  const nonce = new Uint8Array(12);
  let stream: Uint8Array | null = null; // made at the first draw: most VMs never draw
  let counter = 0;
  let at = zeros.length;
  return (buf) => {
    stream ??= new Uint8Array(zeros.length);
    for (let done = 0; done < buf.length; ) {
      if (at === stream.length) {
        chacha20(key, nonce, zeros, stream, counter);
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
