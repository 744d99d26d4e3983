// One page load of compile-clang (demos/bench/compile.html): clang's llvm.core.wasm (75 MB) by URL,
// from vm.run() to compiled — its fetch, hash and compile told apart by the run's onProgress — and
// then the run itself (one `clang -cc1 -O2` of a small C file, header-free: no sysroot needed), so
// that V8 tiers clang's hot functions up to TurboFan, after which it could write its code cache
// (Chromium 156 writes none for a Response from caches.match(): see the metric's notes). The
// figures go on window.__compile for `npm run bench`, which loads
// this page three times in one browser profile (test/bench/compile.ts). ?clear empties the module
// cache first (the runner's first load; its profile is fresh anyway).
import { ZeroVM } from '../../src/index.js';
import type { Report } from '../../src/index.js';
import { type CompileLoad, MODULE_CACHE } from './compile-metric.js';

declare global {
  interface Window {
    __compile: { done: boolean; load?: CompileLoad; error?: string };
    /** The host, kept: V8 would write a code cache only for a module still alive, after this page's run. */
    __compileVm?: ZeroVM;
  }
}

const LLVM = new URL('../../node_modules/@yowasp/clang/gen/llvm.core.wasm', import.meta.url).href;

/** Hashing loops enough to give -O2 some work (the run takes ~1–5 s): clang's hot paths tier up. */
const SOURCE = Array.from(
  { length: 40 },
  (_, i) => `unsigned f${i}(const unsigned *a, unsigned n) {
  unsigned h = ${i}u;
  for (unsigned j = 0; j < n; j++) { h = (h ^ a[j]) * 16777619u; if (h & 1) h += a[(j * 7u) % n]; }
  return h;
}`,
).join('\n');
const CC1 = ['clang', '-cc1', '-triple', 'wasm32-unknown-wasip1', '-emit-obj', '-O2', '-o', '-', 'main.c'];

async function entries(): Promise<number> {
  return (await (await caches.open(MODULE_CACHE)).keys()).length;
}

/** Bytes of clang that came over the network (Resource Timing): 0 from the HTTP cache, a few hundred for a 304. */
function transferred(): number | null {
  const timings = performance.getEntriesByName(LLVM, 'resource') as PerformanceResourceTiming[];
  return timings.length > 0 ? timings[timings.length - 1]!.transferSize : null;
}

async function load(): Promise<CompileLoad> {
  if (new URLSearchParams(location.search).has('clear')) await caches.delete(MODULE_CACHE);
  const storedBefore = await entries();
  const vm = new ZeroVM({ pool: 1 });
  window.__compileVm = vm;
  let fetchEnd = NaN;
  let compileStart = NaN;
  let compileEnd = NaN;
  const start = performance.now();
  const report: Report = await vm.run(
    { program: LLVM, args: CC1, files: { '/main.c': SOURCE }, limits: { timeout: 120_000 } },
    {
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase === 'fetch') fetchEnd = now; // the last one: the body's last byte
        else if (p.loaded === 0) compileStart = now;
        else compileEnd = now;
      },
    },
  );
  const end = performance.now();
  // No fetch heard: the response's ETag named the stored module and its body was not read; the
  // "fetch" is then run() to its headers and the note's lookup, and there is nothing to hash.
  if (Number.isNaN(fetchEnd)) fetchEnd = compileStart;
  if (report.status !== 'ok' || report.exitCode !== 0) throw new Error(`clang -cc1: ${report.status} ${report.exitCode ?? ''} ${report.message ?? ''} ${report.stderr}`.trim());
  // The store is written after the compile, off the run's path: wait for it (the next load needs it).
  const waited = performance.now();
  for (let i = 0; i < 400 && (await entries()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
  return {
    moduleFrom: report.timings.moduleFrom ?? 'unknown',
    toCompiledMs: compileEnd - start,
    fetchMs: fetchEnd - start,
    hashMs: compileStart - fetchEnd,
    compileMs: report.timings.compileMs,
    runWallMs: end - compileEnd,
    instantiateMs: report.timings.instantiateMs,
    runMs: report.timings.runMs,
    objectBytes: report.stdout.length,
    transferBytes: transferred(),
    storedBefore,
    storedAfter: await entries(),
    storeWaitMs: performance.now() - waited,
  };
}

const out = document.getElementById('out')!;
window.__compile = { done: false };
load().then(
  (l) => {
    window.__compile = { done: true, load: l };
    out.textContent = JSON.stringify(l, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v), 2);
  },
  (e: Error) => {
    window.__compile = { done: true, error: String(e.stack ?? e) };
    out.textContent = `failed: ${e.message}`;
  },
);
