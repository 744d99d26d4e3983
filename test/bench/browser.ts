// The browser rows: build demos/bench.html with vite (bundled and minified, as a page ships it —
// the dev server's one-request-per-module would make every runtime's cold start about its module
// count), serve the build, open it with ?auto in headless Chromium (Debian's, never downloaded),
// and collect the Sections the page leaves on window.__bench. Served cross-origin isolated, the page
// measures the SharedArrayBuffer path (guests wait on Atomics.wait); the spawn and live metrics
// are then measured again on the same build served without isolation (output travels as
// messages, guests wait by JSPI suspension).
// compile-clang loads demos/bench/compile.html (a build of its own, into the same directory) three
// times in a Chromium of its own (test/bench/compile.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build, preview } from 'vite';
import { COMPILE_METRICS, type MetricId, type Section, UNISOLATED_METRICS } from '../../demos/bench/metrics.js';
import type { BenchState } from '../../demos/bench/main.js';
import { compileSection, measureCompile } from './compile.js';

const root = new URL('../../', import.meta.url).pathname;

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** COOP/COEP whatever vite.config.ts says: runno needs SharedArrayBuffer, and so do our blocking channels. */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Polls the page until the suite is done (one long waitForFunction would hit the protocol timeout). */
async function finished(page: Page, limitMs = 8 * 60_000): Promise<BenchState> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const state = (await page.evaluate(() => window.__bench)) as BenchState | undefined;
    if (state?.done) return state;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the bench page did not finish in ${limitMs / 1000} s`);
}

export interface BrowserOptions {
  quick?: boolean;
  only?: MetricId[];
  progress: (message: string) => void;
}

type Server = Awaited<ReturnType<typeof preview>>;

/** The build in `outDir` on a port of its own: with COOP/COEP, or (isolated: false) with no header at all. */
async function serve(outDir: string, isolated: boolean): Promise<Server> {
  const port = await freePort();
  if (isolated) {
    return preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, headers: CROSS_ORIGIN_ISOLATION } });
  }
  // Not vite.config.ts, whose preview headers would isolate the page (inline headers are merged into them).
  return preview({ root, configFile: false, base: './', appType: 'mpa', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
}

function baseUrl(server: Server): string {
  return server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.preview.port}/`;
}

/** Opens the bench page of `server` with ?auto and returns the Sections it leaves. */
async function runPage(browser: Browser, server: Server, only: MetricId[] | undefined, options: BrowserOptions, label: string): Promise<Section[]> {
  const page = await browser.newPage();
  try {
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('[bench] ')) options.progress(`${label}: ${text.slice(8)}`);
      else if (m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico')) options.progress(`${label} console: ${text} ${m.location().url ?? ''}`.trim());
    });
    page.on('pageerror', (e) => options.progress(`${label} page error: ${(e as Error).message}`));
    const query = new URLSearchParams({ auto: '' });
    if (options.quick) query.set('quick', '');
    if (only) query.set('only', only.join(','));
    const url = `${baseUrl(server)}demos/bench.html?${query}`;
    await page.goto(url, { waitUntil: 'load' });
    const state = await finished(page);
    if (state.error || !state.sections) throw new Error(`the bench page (${label}) failed: ${state.error}`);
    return state.sections;
  } finally {
    await page.close();
  }
}

/**
 * The isolated pass (every chosen metric: the commands' section, the plugins'), then the
 * not-isolated pass (the chosen spawn and live metrics), then compile-clang (three page loads in a browser
 * of its own, on the isolated server).
 */
export async function runBrowser(options: BrowserOptions): Promise<Section[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'zerovm-bench-'));
  const unisolated = UNISOLATED_METRICS.filter((id) => !options.only || options.only.includes(id));
  const compile = !options.only || options.only.some((id) => (COMPILE_METRICS as MetricId[]).includes(id));
  // The bench page has nothing to do when --only names compile metrics alone.
  const paged = !options.only || options.only.some((id) => !(COMPILE_METRICS as MetricId[]).includes(id));
  const servers: Server[] = [];
  let browser: Browser | undefined;
  const sections: Section[] = [];
  try {
    // Two builds, each given its one page as a string: that replaces vite.config.ts's inputs (an
    // object of inputs would be merged into them, building the demos and their 105 MB too).
    if (paged) {
      options.progress('building demos/bench.html');
      await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'demos/bench.html') } } });
    }
    let buildSeconds = 0;
    if (compile) {
      options.progress('building demos/bench/compile.html (copies clang, 75 MB)');
      const started = performance.now();
      await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: !paged, rollupOptions: { input: join(root, 'demos/bench/compile.html') } } });
      buildSeconds = (performance.now() - started) / 1000;
    }
    const isolated = await serve(outDir, true);
    servers.push(isolated);
    if (paged) {
      browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      sections.push(...(await runPage(browser, isolated, options.only, options, 'chromium')));
      if (unisolated.length > 0) {
        const plain = await serve(outDir, false);
        servers.push(plain);
        sections.push(...(await runPage(browser, plain, unisolated, options, 'chromium, not isolated')));
      }
      await browser.close();
      browser = undefined;
    }
    if (compile) {
      const started = performance.now();
      const run = await measureCompile(`${baseUrl(isolated)}demos/bench/compile.html`, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, progress: options.progress });
      sections.push(compileSection(run, (performance.now() - started) / 1000, buildSeconds));
    }
    return sections;
  } finally {
    await browser?.close();
    for (const server of servers) await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
