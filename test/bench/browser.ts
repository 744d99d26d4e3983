// The browser rows: build demos/bench.html with vite (bundled and minified, as a page ships it —
// the dev server's one-request-per-module would make every runtime's cold start about its module
// count), serve the build, open it with ?auto in headless Chromium (Debian's, never downloaded),
// and collect the Section the page leaves on window.__bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { build, preview } from 'vite';
import type { Section } from '../../demos/bench/metrics.js';
import type { BenchState } from '../../demos/bench/main.js';

const root = new URL('../../', import.meta.url).pathname;

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
  only?: string[];
  progress: (message: string) => void;
}

export async function runBrowser(options: BrowserOptions): Promise<Section> {
  const outDir = mkdtempSync(join(tmpdir(), 'zerovm-bench-'));
  options.progress('building demos/bench.html');
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'demos/bench.html') } } });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true, headers: CROSS_ORIGIN_ISOLATION },
  });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('[bench] ')) options.progress(`chromium: ${text.slice(8)}`);
      else if (m.type() === 'error') options.progress(`chromium console: ${text}`);
    });
    page.on('pageerror', (e) => options.progress(`chromium page error: ${(e as Error).message}`));
    const query = new URLSearchParams({ auto: '' });
    if (options.quick) query.set('quick', '');
    if (options.only) query.set('only', options.only.join(','));
    const url = `${server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.preview.port}/`}demos/bench.html?${query}`;
    await page.goto(url, { waitUntil: 'load' });
    const state = await finished(page);
    if (state.error || !state.section) throw new Error(`the bench page failed: ${state.error}`);
    return state.section;
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
