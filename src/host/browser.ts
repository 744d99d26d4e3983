// The page's platform: Web Workers, fetch().
import type { Platform } from './vm-host.js';

export const browserPlatform: Platform = {
  spawn() {
    const worker = new Worker(new URL('../worker/browser-entry.ts', import.meta.url), { type: 'module', name: 'zerovm' });
    return { endpoint: worker, terminate: () => worker.terminate() };
  },
  async fetch(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`.trim());
    return new Uint8Array(await response.arrayBuffer());
  },
  // One worker per core, at least 2 so a stuck VM never blocks the next, at most 4: each costs memory.
  defaultPoolSize: Math.min(4, Math.max(2, globalThis.navigator?.hardwareConcurrency ?? 2)),
};
