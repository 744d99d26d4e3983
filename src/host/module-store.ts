// Checked programs kept across page loads. A big module's checked (and rewritten) bytes go into
// the Cache API under its content hash and policy, and a later page load compiles it with
// compileStreaming from there, skipping the policy scan (the entry exists only for bytes that
// passed it): clang's compile went from ~0.8 s to ~0.4 s. The engines still compile: Chromium 156
// gives V8 a code-cache handler only for a network or service-worker response, not for one the
// page reads with caches.match() (measured: nothing is written beside the entry), and
// SpiderMonkey keeps no wasm code cache at all. A program's URL is noted too, with the ETag (or
// Last-Modified) its response had: a later load whose response says the same skips the body and
// its hash (clang's load 2 went from ~0.8 s to ~0.45 s).

/** Where compiled programs outlive the page: null where there is no such storage (Node, no Cache API). */
export interface ModuleStore {
  /** The module stored under `key`, compiled; null when there is none (or storage fails: compile from bytes). */
  get(key: string): Promise<WebAssembly.Module | null>;
  /** Stores `bytes` under `key` (bytes that passed the policy); failures are ignored (a cache). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * What `url` served when it had `validator` (its ETag or Last-Modified), noted when its module
   * was stored: the content's hash and size. Null when nothing is noted for that validator.
   */
  known(url: string, validator: string): Promise<KnownContent | null>;
  /** Notes that `url`, with `validator`, served `content` (failures are ignored). */
  note(url: string, validator: string, content: KnownContent): Promise<void>;
}

/** A program's content, known by its hash without its bytes. */
export interface KnownContent {
  hash: string;
  size: number;
}

/** Modules smaller than this compile in a few ms: not worth a cache entry (V8 caches none under 128 KiB either). */
export const STORED_MODULE_BYTES = 1 << 20;

const CACHE_NAME = 'zerovm-modules-v1';
/**
 * Part of every key: a stored module skipped the policy scan of the release that stored it, so a
 * release whose policy checks more (or differently) must bump it and never read the old entries.
 * 2: a module's one memory is imported (zerovm.memory), so that workers can give it again.
 * 3: a program's content hash is over its 1 MiB pieces' SHA-256s (host/content-hash.ts).
 */
const POLICY_VERSION = 3;

export function cacheModuleStore(): ModuleStore | null {
  if (typeof caches === 'undefined' || typeof WebAssembly.compileStreaming !== 'function' || typeof location === 'undefined') return null;
  // URLs of this origin that nothing serves: only keys in the cache.
  const current = `/.zerovm-modules/policy-${POLICY_VERSION}/`;
  const url = (key: string) => new URL(`${current}${key}.wasm`, location.origin).href;
  const noteUrl = (program: string) => new URL(`${current}by-url/${encodeURIComponent(program)}`, location.origin).href;
  // Entries of an earlier policy version are never read again: they go before this page stores its
  // first module (a module stored by an older release may be tens of MB).
  let swept: Promise<void> | null = null;
  const sweep = async (cache: Cache) => {
    for (const request of await cache.keys()) if (!new URL(request.url).pathname.startsWith(current)) await cache.delete(request);
  };
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
        const cache = await caches.open(CACHE_NAME);
        await (swept ??= sweep(cache).catch(() => undefined));
        await cache.put(url(key), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
      } catch {
        // full, or off: the next page load compiles from the bytes again
      }
    },
    async known(program, validator) {
      try {
        const response = await (await caches.open(CACHE_NAME)).match(noteUrl(program));
        const noted = response ? ((await response.json()) as { validator?: unknown; hash?: unknown; size?: unknown }) : null;
        if (noted?.validator !== validator || typeof noted.hash !== 'string' || typeof noted.size !== 'number') return null;
        return { hash: noted.hash, size: noted.size };
      } catch {
        return null;
      }
    },
    async note(program, validator, content) {
      try {
        const body = JSON.stringify({ validator, hash: content.hash, size: content.size });
        await (await caches.open(CACHE_NAME)).put(noteUrl(program), new Response(body, { headers: { 'content-type': 'application/json' } }));
      } catch {
        // a cache: the next page load reads the bytes again
      }
    },
  };
}
