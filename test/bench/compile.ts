// compile-clang: clang's 75 MB llvm.core.wasm from vm.run() to compiled on three page loads of
// demos/bench/compile.html in one browser profile — the first with the module cache (Cache API)
// empty, the second and third each a new tab after the previous one closed (a new renderer
// process), so that only what the browser keeps across page loads carries over: the Cache API entry,
// V8's code cache if it wrote one, the HTTP cache. A browser of its own, on a fresh profile.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { CompileLoad } from '../../demos/bench/compile-metric.js';
import type { CompileMetricId, MetricResult, Section } from '../../demos/bench/metrics.js';

export const LOADS = 3;

/**
 * A fourth load, with the module cache emptied and the HTTP cache off, over a link slowed by
 * Chromium's network emulation to at most this many bytes a second (what it delivers is less: the
 * notes give the rate measured): a first load as a visitor's would be, where the download is long
 * enough for the compile to go on while it comes.
 */
export const LINK_BYTES_PER_SECOND = 100e6;

export interface CompileRun {
  loads: CompileLoad[];
  /** After each load had settled: bytes of the profile's CacheStorage (the module cache's entry, and any side data V8 wrote beside it). */
  cacheStorageBytes: number[];
  /** …and of its HTTP code cache for wasm ("Code Cache/wasm": V8's cache for compileStreaming(fetch(url))). */
  wasmCodeCacheBytes: number[];
  /** Each load's renderer processes (pids), or null where /proc cannot tell. */
  renderers: (number[] | null)[];
  /** How long each load waited, after its page was done, for the profile's caches to stop changing. */
  settleMs: number[];
  browser: string;
}

/** Total bytes of the files under `dir` (recursively) inside a directory named `name`, or anywhere when `name` is null. */
function bytesUnder(dir: string, name: string | null): number {
  let total = 0;
  let list: string[];
  try {
    list = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const entry of list) {
    const path = join(dir, entry);
    let s;
    try {
      s = statSync(path);
    } catch {
      continue; // gone meanwhile
    }
    if (s.isDirectory()) total += bytesUnder(path, name === null || entry === name ? null : name);
    else if (name === null) total += s.size;
  }
  return total;
}

/** The CacheStorage directory moves between Chromium versions (Service Worker/, WebStorage/…): found by name. */
const cacheStorageBytes = (profile: string) => bytesUnder(profile, 'CacheStorage');
const wasmCodeCacheBytes = (profile: string) => bytesUnder(join(profile, 'Default', 'Code Cache', 'wasm'), null);

/** The renderer processes under the browser's process (Linux /proc), or null where that cannot be read. */
function rendererPids(browserPid: number | undefined): number[] | null {
  if (browserPid === undefined) return null;
  try {
    const parent = new Map<number, number>();
    const renderer = new Set<number>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=renderer')) renderer.add(Number(d));
      } catch {
        // gone meanwhile
      }
    }
    const under = (pid: number): boolean => {
      for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 10; p = parent.get(p), hops++) if (p === browserPid) return true;
      return false;
    };
    return [...renderer].filter(under).sort((a, b) => a - b);
  } catch {
    return null;
  }
}

/**
 * Waits until the profile's caches have not changed for `quietMs` (at most `limitMs`); returns the
 * ms waited. V8 writes its code cache from the page ~2 s after the last tier-up (its caching
 * timeout), so a page closed sooner would never write it.
 */
async function settle(profile: string, quietMs: number, limitMs: number): Promise<number> {
  const start = Date.now();
  const size = () => cacheStorageBytes(profile) + wasmCodeCacheBytes(profile);
  let last = size();
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() - start < limitMs) {
    await new Promise((r) => setTimeout(r, 250));
    const now = size();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return Date.now() - start;
}

export interface CompileOptions {
  executablePath: string;
  args: string[];
  progress: (message: string) => void;
}

/** Three loads of `pageUrl` (compile.html, served cross-origin isolated) in a browser of its own, with a fresh profile. */
export async function measureCompile(pageUrl: string, options: CompileOptions): Promise<CompileRun> {
  const profile = mkdtempSync(join(tmpdir(), 'zerovm-bench-profile-'));
  let browser: Browser | undefined;
  const run: CompileRun = { loads: [], cacheStorageBytes: [], wasmCodeCacheBytes: [], renderers: [], settleMs: [], browser: '' };
  try {
    browser = await puppeteer.launch({ executablePath: options.executablePath, headless: true, args: options.args, userDataDir: profile });
    run.browser = await browser.version();
    for (let i = 0; i <= LOADS; i++) {
      const linked = i === LOADS;
      const page = await browser.newPage();
      page.on('pageerror', (e) => options.progress(`compile-clang load ${i + 1} page error: ${(e as Error).message}`));
      if (linked) {
        await page.setCacheEnabled(false);
        await page.emulateNetworkConditions({ download: LINK_BYTES_PER_SECOND, upload: LINK_BYTES_PER_SECOND, latency: 20 });
      }
      await page.goto(`${pageUrl}?auto${i === 0 || linked ? '&clear' : ''}`, { waitUntil: 'load' });
      const end = Date.now() + 5 * 60_000;
      let state: Window['__compile'] | undefined;
      while (Date.now() < end) {
        state = (await page.evaluate(() => window.__compile)) as Window['__compile'] | undefined;
        if (state?.done) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      if (!state?.done) throw new Error(`compile-clang: load ${i + 1} did not finish in 5 minutes`);
      if (state.error || !state.load) throw new Error(`compile-clang: load ${i + 1} failed: ${state.error}`);
      run.loads.push(state.load);
      run.renderers.push(rendererPids(browser.process()?.pid));
      // Before the next load, whatever this one writes must have landed: keep its page open until then.
      run.settleMs.push(i < LOADS - 1 ? await settle(profile, 4000, 30_000) : 0);
      run.cacheStorageBytes.push(cacheStorageBytes(profile));
      run.wasmCodeCacheBytes.push(wasmCodeCacheBytes(profile));
      options.progress(`compile-clang: load ${i + 1}: ${state.load.moduleFrom}, ${Math.round(state.load.toCompiledMs)} ms to compiled`);
      await page.close();
    }
    return run;
  } finally {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const MB = 1e6;
/** Side data smaller than this is not a code cache of clang (V8's would be megabytes). */
const CODE_CACHE_MIN = 1 << 16;

function transfer(bytes: number | null): string {
  if (bytes === null) return 'transfer unknown';
  if (bytes === 0) return 'from the HTTP cache';
  if (bytes < 4096) return `the HTTP cache revalidated (${bytes} B over the wire)`;
  return `${(bytes / MB).toFixed(1)} MB over the wire`;
}

/** The three loads as a section of their own: a column per load (named by where its module came from), a row per part. */
export function compileSection(run: CompileRun, seconds: number, buildSeconds: number): Section {
  const columns = run.loads.map((l, i) => `load ${i + 1}: ${l.moduleFrom}${i === LOADS ? ', slowed link' : ''}`);
  const row = (id: CompileMetricId, figure: (l: CompileLoad) => number): MetricResult => ({
    id,
    values: Object.fromEntries(run.loads.map((l, i) => [columns[i], figure(l)])),
  });
  const version = /\/(\d+)/.exec(run.browser)?.[1] ?? run.browser;
  const ms = (v: number | null) => (v === null || Number.isNaN(v) ? 'n/a' : `${v.toFixed(0)} ms`);
  const mb = (v: number | undefined) => `${((v ?? NaN) / MB).toFixed(1)} MB`;
  const loads = run.loads.map((l, i) => {
    const pids = run.renderers[i];
    const rate = l.transferBytes && l.transferBytes >= 4096 ? `, ${(l.transferBytes / MB / (l.fetchMs / 1000)).toFixed(1)} MB/s` : '';
    return `load ${i + 1}: moduleFrom ${l.moduleFrom}; fetch ${ms(l.fetchMs)} (${transfer(l.transferBytes)}${rate}), hash ${ms(l.hashMs)}, compile ${ms(l.compileMs)}; ` +
      `then instantiate ${ms(l.instantiateMs)}, clang -cc1 ${ms(l.runMs)} (${l.objectBytes} B of object); module cache entries ${l.storedBefore} → ${l.storedAfter}` +
      (i < LOADS - 1 ? `; after ${(run.settleMs[i]! / 1000).toFixed(1)} s settling, the profile's CacheStorage ${mb(run.cacheStorageBytes[i])}, its Code Cache/wasm ${mb(run.wasmCodeCacheBytes[i])}` : '') +
      (pids ? `; renderer pids ${pids.join(', ')}` : '');
  });
  // What V8 wrote beside the entry after load 2 (the first load compiled by compileStreaming).
  const sideData = (run.cacheStorageBytes[1] ?? 0) - (run.cacheStorageBytes[0] ?? 0);
  const httpCodeCache = run.wasmCodeCacheBytes[1] ?? 0;
  const codeCache =
    sideData >= CODE_CACHE_MIN
      ? `observed: ${mb(sideData)} written beside the module cache's entry after load 2`
      : `observed: nothing written beside the module cache's entry (the profile's CacheStorage ${mb(run.cacheStorageBytes[0])} after load 1, ${mb(run.cacheStorageBytes[1])} after load 2)` +
        (httpCodeCache >= CODE_CACHE_MIN ? `; ${mb(httpCodeCache)} in Code Cache/wasm` : '') +
        ': Chromium gives V8 a code-cache handler only for a network Response (or a service worker\'s answer from the Cache API), ' +
        'not for one from caches.match() in the page, so loads 2 and 3 compile alike, without machine code';
  return {
    env: `chromium ${version} · compile once per browser (clang, 75 MB)`,
    runtimes: columns,
    ratio: 'load 1/this',
    metrics: [
      row('compile-clang', (l) => l.toCompiledMs),
      row('compile-clang-fetch', (l) => l.fetchMs),
      row('compile-clang-compile', (l) => l.compileMs),
      row('compile-clang-run', (l) => l.runWallMs),
    ],
    notes: [
      'demos/bench/compile.html loaded 3 times in one headless Chromium with a fresh profile: load 1 with the module cache (Cache API) empty; ' +
        'loads 2 and 3 each in a new tab once the previous one had closed (a new renderer process), so that only what the browser keeps across page loads carries over; ' +
        `then load 4 as a visitor's first: the module cache emptied, the HTTP cache off, and the network slowed by Chromium's network emulation (at most ${LINK_BYTES_PER_SECOND / MB} MB/s, 20 ms latency; the rate it gave is below), ` +
        'where the compile goes on while the program downloads (on the bench\'s own loopback the download is too short for that)',
      "each load: one vm.run() of clang's llvm.core.wasm by URL (served by the bench's vite preview, cross-origin isolated), `clang -cc1 -O2` of a 40-function C file; " +
        'fetch = run() → the body\'s last byte (or, when the response\'s ETag named the stored module and its body was not read, → its headers and the note\'s lookup), then what was left of the content hash (hash: the SHA-256s of its 1 MiB pieces are taken as they come), then report.timings.compileMs (the policy scan and compile, or the module ' +
        "cache's lookup and compileStreaming); the column says report.timings.moduleFrom",
      ...loads,
      "V8 writes its code cache only for a module compiled by compileStreaming from a network response (never load 1's, streamed from the checked bytes through a Response the page made), and only once enough of it " +
        'has tiered up to TurboFan (~2 s after the last tier-up): so the third load may be faster than the second; ' + codeCache,
      'Firefox is not measured: the bench drives Chromium only',
      `took ${seconds.toFixed(0)} s (4 loads, the first two kept open until the profile's caches settle), and ${buildSeconds.toFixed(1)} s to build its page (which copies clang into the build)`,
    ],
  };
}
