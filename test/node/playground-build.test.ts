// The playground as `npx vite build` ships it (README: a static copy in dist/playground/): built
// into a temp directory, served cross-origin isolated and not, opened in Chromium, an example run.
// This is the build that must find and bundle the VM worker from src/host/browser.ts: a worker URL
// written in any other form than `new Worker(new URL(…))` ships as a raw .ts file that cannot run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { build, preview, type PreviewServer } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// In the page, as text: tsx would wrap a function passed to page.evaluate in helpers the page lacks.
// Picks hello, runs it, and waits for the report, inside the app's shadow roots.
const RUN_HELLO = `(async () => {
  const deep = (node, selector) => {
    const found = node.querySelector(selector);
    if (found) return found;
    for (const el of node.querySelectorAll('*')) {
      const inner = el.shadowRoot && deep(el.shadowRoot, selector);
      if (inner) return inner;
    }
    return null;
  };
  const until = async (probe, what) => {
    for (let i = 0; i < 600; i++) {
      const value = probe();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no ' + what);
  };
  (await until(() => deep(document, '[data-example="hello"]'), 'hello example')).click();
  (await until(() => deep(document, 'zerovm-run-form')?.shadowRoot?.querySelector('button[type="submit"]'), 'Run button')).click();
  const vm = await until(() => deep(document, 'zero-vm'), 'zero-vm');
  const last = await until(() => vm.lastReport, 'report');
  return { status: last.status, stdout: last.stdout, isolated: crossOriginIsolated };
})()`;

describe('the built playground', { timeout: 180_000 }, () => {
  let outDir = '';
  let browser: Browser;
  const servers: PreviewServer[] = [];

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'zerovm-playground-'));
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  for (const isolated of [true, false]) {
    it(`runs an example (${isolated ? 'cross-origin isolated' : 'not isolated'})`, async () => {
      // configFile: false: vite.config.ts's own preview headers would isolate every page
      const server = await preview({ root, configFile: false, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, headers: isolated ? ISOLATION : {} } });
      servers.push(server);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.resolvedUrls!.local[0]);
      // Pick hello, run it, and wait for the report — all inside the app's shadow roots.
      const report = (await page.evaluate(RUN_HELLO)) as { status: string; stdout: string; isolated: boolean };
      await page.close();
      assert.deepEqual(errors, []);
      assert.equal(report.isolated, isolated);
      assert.equal(report.status, 'ok');
      assert.match(report.stdout, /^Hello, /);
    });
  }
});
