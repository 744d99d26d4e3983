// Compile once per browser: a big program compiled on one page load comes from the browser's
// module cache (the Cache API, and in Chromium V8's code cache beside it) on the next load.
import { assert, assertEqual } from './assert.js';

const CACHE = 'zerovm-modules-v1';

interface Load {
  status: string;
  message: string;
  moduleFrom: string;
  compileMs: number;
}

/**
 * Loads the test page in a fresh iframe (a page load of its own) and waits for its report. The
 * frame stays until `close()`: the page writes the store after its compile, and a page gone
 * before that write lands loses it.
 */
function loadPage(): Promise<Load & { close(): void }> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    const done = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      removeEventListener('message', done);
      resolve({ ...(event.data as Load), close: () => frame.remove() });
    };
    addEventListener('message', done);
    frame.src = `/test/browser/pages/module-cache.html?load=${Math.random()}`;
    document.body.append(frame);
  });
}

async function stored(): Promise<number> {
  return (await (await caches.open(CACHE)).keys()).length;
}

describe('compile once per browser (module cache)', () => {
  it('a big module compiled on the first page load comes from the browser\'s cache on the second', async function () {
    this.timeout(60_000);
    await caches.delete(CACHE);
    const first = await loadPage();
    assert(first.status === 'ok', first.message);
    assertEqual(first.moduleFrom, 'compiled', 'first load: moduleFrom');
    // The store is written after the compile, off the run's path: wait for it (the test's timeout
    // ends a wait in vain), then end that page load.
    while ((await stored()) === 0) await new Promise((r) => setTimeout(r, 25));
    assertEqual(await stored(), 1, 'entries stored');
    first.close();
    const second = await loadPage();
    second.close();
    assert(second.status === 'ok', second.message);
    assertEqual(second.moduleFrom, 'browser', 'second load: moduleFrom');
    await caches.delete(CACHE);
  });
});
