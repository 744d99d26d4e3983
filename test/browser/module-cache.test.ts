// Compile once per browser: a big program compiled on one page load comes from the browser's
// module cache (the Cache API, and in Chromium V8's code cache beside it) on the next load.
import { assert, assertEqual } from './assert.js';
import { bigModule } from './big-module.js';

const CACHE = 'zerovm-modules-v1';

interface Load {
  status: string;
  message: string;
  moduleFrom: string;
  compileMs: number;
  /** The phases of the loading progress heard, in order. */
  phases: string[];
}

/**
 * Loads the test page in a fresh iframe (a page load of its own) and waits for its report. The
 * frame stays until `close()`: the page writes the store after its compile, and a page gone
 * before that write lands loses it.
 */
function loadPage(url?: string): Promise<Load & { close(): void }> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    const done = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      removeEventListener('message', done);
      resolve({ ...(event.data as Load), close: () => frame.remove() });
    };
    addEventListener('message', done);
    frame.src = `/test/browser/pages/module-cache.html?load=${Math.random()}${url ? `&url=${encodeURIComponent(url)}` : ''}`;
    document.body.append(frame);
  });
}

async function stored(): Promise<number> {
  return (await (await caches.open(CACHE)).keys()).length;
}

/** Waits until the store holds `count` entries (it is written after the compile, off the run's path), failing after 20 s with what it holds. */
async function storedAtLeast(count: number): Promise<number> {
  const end = performance.now() + 20_000;
  let now = await stored();
  while (now < count && performance.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    now = await stored();
  }
  if (now < count) {
    const keys = (await (await caches.open(CACHE)).keys()).map((r) => new URL(r.url).pathname);
    throw new Error(`the store holds ${now} entries after 20 s, not ${count}: ${keys.join(', ') || 'none'}`);
  }
  return now;
}

describe('compile once per browser (module cache)', () => {
  it('a big module compiled on the first page load comes from the browser\'s cache on the second', async function () {
    this.timeout(60_000);
    await caches.delete(CACHE);
    const first = await loadPage();
    assert(first.status === 'ok', first.message);
    assertEqual(first.moduleFrom, 'compiled', 'first load: moduleFrom');
    // The store is written after the compile, off the run's path: wait for it, then end that page load.
    assertEqual(await storedAtLeast(1), 1, 'entries stored');
    first.close();
    const second = await loadPage();
    second.close();
    assert(second.status === 'ok', second.message);
    assertEqual(second.moduleFrom, 'browser', 'second load: moduleFrom');
    await caches.delete(CACHE);
  });

  it('storing a module deletes what an earlier policy version stored (never read again)', async function () {
    this.timeout(60_000);
    await caches.delete(CACHE);
    const stale = new URL('/.zerovm-modules/policy-1/stale.wasm', location.origin).href;
    await (await caches.open(CACHE)).put(stale, new Response(new Uint8Array(16)));
    const load = await loadPage();
    assert(load.status === 'ok', load.message);
    assertEqual(load.moduleFrom, 'compiled', 'moduleFrom');
    const keys = async () => (await (await caches.open(CACHE)).keys()).map((r) => new URL(r.url).pathname);
    const end = performance.now() + 20_000;
    while (!(await keys()).some((k) => k.endsWith('.wasm') && !k.includes('/policy-1/')) && performance.now() < end) await new Promise((r) => setTimeout(r, 25));
    load.close();
    const left = await keys();
    assert(left.some((k) => k.endsWith('.wasm') && !k.includes('/policy-1/')), `the module is stored (${left.join(', ')})`);
    assert(!left.some((k) => k.includes('/policy-1/')), `the earlier version's entry is gone (${left.join(', ')})`);
    await caches.delete(CACHE);
  });

  it('a big program by URL: a later page load whose response has the same ETag does not read its body', async function () {
    this.timeout(60_000);
    await caches.delete(CACHE);
    const url = `/__zerovm_test/stored/big-${Math.random()}.wasm`;
    const put = await fetch(url, { method: 'POST', body: bigModule() as Uint8Array<ArrayBuffer> });
    assertEqual(put.status, 204, 'the test server took the program');
    const first = await loadPage(url);
    assert(first.status === 'ok', first.message);
    assertEqual(first.moduleFrom, 'compiled', 'first load: moduleFrom');
    assert(first.phases.includes('fetch'), `first load: its bytes are read (${first.phases.join()})`);
    // The module, then the note of its URL and ETag.
    assertEqual(await storedAtLeast(2), 2, 'entries stored');
    first.close();
    const second = await loadPage(url);
    second.close();
    assert(second.status === 'ok', second.message);
    assertEqual(second.moduleFrom, 'browser', 'second load: moduleFrom');
    assert(!second.phases.includes('fetch'), `second load: no byte of the body read (${second.phases.join()})`);
    // The module gone from the cache, its note still there: the next load reads the bytes after all.
    const cache = await caches.open(CACHE);
    for (const request of await cache.keys()) if (!request.url.includes('/by-url/')) await cache.delete(request);
    const third = await loadPage(url);
    third.close();
    assert(third.status === 'ok', third.message);
    assertEqual(third.moduleFrom, 'compiled', 'third load, its module gone from the cache: moduleFrom');
    await caches.delete(CACHE);
  });
});
