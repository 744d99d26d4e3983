// Compiled programs kept across page loads. A big module's checked (and rewritten) bytes go into
// the Cache API under its content hash and policy, and a later page load compiles it with
// compileStreaming from there: it skips the policy scan (the entry exists only for bytes that
// passed it), and V8 keeps its machine code beside such an entry (its wasm code cache), so in
// Chromium the compile itself is skipped too once the code has been cached. SpiderMonkey keeps no
// such code: Firefox compiles again, without the scan.

/** Where compiled programs outlive the page: null where there is no such storage (Node, no Cache API). */
export interface ModuleStore {
  /** The module stored under `key`, compiled; null when there is none (or storage fails: compile from bytes). */
  get(key: string): Promise<WebAssembly.Module | null>;
  /** Stores `bytes` under `key` (bytes that passed the policy); failures are ignored (a cache). */
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** Modules smaller than this compile in a few ms: not worth a cache entry (V8 caches none under 128 KiB either). */
export const STORED_MODULE_BYTES = 1 << 20;

const CACHE_NAME = 'zerovm-modules-v1';

export function cacheModuleStore(): ModuleStore | null {
  if (typeof caches === 'undefined' || typeof WebAssembly.compileStreaming !== 'function' || typeof location === 'undefined') return null;
  // A URL of this origin that nothing serves: only a key in the cache.
  const url = (key: string) => new URL(`/.zerovm-modules/${key}.wasm`, location.origin).href;
  return {
    async get(key) {
      try {
        const response = await (await caches.open(CACHE_NAME)).match(url(key));
        return response ? await WebAssembly.compileStreaming(response) : null;
      } catch {
        return null; // storage off (a private window), an entry gone bad: compile from the bytes
      }
    },
    async put(key, bytes) {
      try {
        const headers = { 'content-type': 'application/wasm', 'content-length': String(bytes.length) };
        await (await caches.open(CACHE_NAME)).put(url(key), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
      } catch {
        // full, or off: the next page load compiles from the bytes again
      }
    },
  };
}
