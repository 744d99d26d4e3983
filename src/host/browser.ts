// The page's platform: Web Workers, fetch().
import type { Platform } from './vm-host.js';
import { lazyStore } from './volumes/lazy.js';
import { cacheModuleStore } from './module-store.js';
import { fetchBytes } from './body.js';

export const browserPlatform: Platform = {
  spawn(workerUrl) {
    // Written out whole, `new Worker(new URL('…', import.meta.url), { type: 'module' })` is what
    // bundlers (Vite, webpack 5) recognise and ship as a worker; any other form they copy as a
    // plain file. The package build rewrites the URL to './vm-worker.js' (scripts/build.mjs).
    const worker = workerUrl
      ? new Worker(workerUrl, { type: 'module', name: 'zerovm' })
      : new Worker(new URL('../worker/browser-entry.ts', import.meta.url), { type: 'module', name: 'zerovm' });
    const url = workerUrl ?? 'vm-worker.js';
    const failed = new Promise<Error>((resolve) => {
      // A worker script that cannot be loaded (404, CSP, a syntax error) fires only this.
      worker.addEventListener('error', (e) => resolve(new Error(`the VM worker could not start (${String(url)}): ${e.message || 'failed to load'}`)), { once: true });
    });
    return { endpoint: worker, terminate: () => worker.terminate(), failed };
  },
  fetch: fetchBytes,
  // IndexedDB's store, its code (and idb-keyval) loaded with the first volume a page uses.
  volumes: () => lazyStore(() => import('./volumes/idb-store.js').then(({ IdbVolumeStore }) => new IdbVolumeStore())),
  modules: cacheModuleStore,
  // One worker per core, at least 2 so a stuck VM never blocks the next, at most 4: each costs memory.
  defaultPoolSize: Math.min(4, Math.max(2, globalThis.navigator?.hardwareConcurrency ?? 2)),
};
