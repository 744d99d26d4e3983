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

/** Loads the test page in a fresh iframe (a page load of its own) and waits for its report. */
function loadPage(): Promise<Load> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    const done = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      removeEventListener('message', done);
      frame.remove();
      resolve(event.data as Load);
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
    // The store is written after the compile, off the run's path: wait for it.
    for (let i = 0; i < 200 && (await stored()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assertEqual(await stored(), 1, 'entries stored');
    const second = await loadPage();
    assert(second.status === 'ok', second.message);
    assertEqual(second.moduleFrom, 'browser', 'second load: moduleFrom');
    await caches.delete(CACHE);
  });
});
