// The opt-out from determinism (`determinism.realtime`): the host's clocks, and sleeps that
// really wait — on Atomics.wait, which blocks a worker without spinning.
import type { Clock } from './config.js';

const NS_PER_MS = 1_000_000;

/** Blocks for `ms`; where there is no SharedArrayBuffer (a page that is not cross-origin isolated) it cannot, and returns at once. */
function blockFor(ms: number): void {
  if (typeof SharedArrayBuffer === 'undefined' || ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function realClock(): Clock {
  const start = performance.now();
  return {
    virtual: false,
    now(id) {
      if (id === 0) return BigInt(Math.round((performance.timeOrigin + performance.now()) * NS_PER_MS));
      return BigInt(Math.round((performance.now() - (id === 1 ? 0 : start)) * NS_PER_MS));
    },
    resolution: () => 1000n,
    sleep(ns) {
      blockFor(Number(ns) / NS_PER_MS);
    },
  };
}
