// Checked programs kept across page loads. A big module's checked (and rewritten) bytes go into
// the Cache API under its content hash and policy, and a later page load compiles it with
// compileStreaming from there, skipping the policy scan (the entry exists only for bytes that
// passed it): clang's compile went from ~0.8 s to ~0.4 s. The engines still compile: Chromium 156
// gives V8 a code-cache handler only for a network or service-worker response, not for one the
// page reads with caches.match() (measured: nothing is written beside the entry), and
// SpiderMonkey keeps no wasm code cache at all.

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
/**
 * Part of every key: a stored module skipped the policy scan of the release that stored it, so a
 * release whose policy checks more (or differently) must bump it and never read the old entries.
 */
const POLICY_VERSION = 1;

export function cacheModuleStore(): ModuleStore | null {
  if (typeof caches === 'undefined' || typeof WebAssembly.compileStreaming !== 'function' || typeof location === 'undefined') return null;
  // A URL of this origin that nothing serves: only a key in the cache.
  const url = (key: string) => new URL(`/.zerovm-modules/policy-${POLICY_VERSION}/${key}.wasm`, location.origin).href;
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
