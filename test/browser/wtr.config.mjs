// Browser tests: real Chromium and Firefox ESR from Debian, nothing downloaded.
// ZEROVM_ISOLATION=off serves pages without COOP/COEP (no SharedArrayBuffer), so that both the
// cross-origin-isolated and the plain page are exercised; ZEROVM_BROWSERS=chromium limits engines.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import * as puppeteerCore from 'puppeteer-core';
import { fileURLToPath } from 'node:url';

const isolated = process.env.ZEROVM_ISOLATION !== 'off';
const wanted = (process.env.ZEROVM_BROWSERS ?? 'chromium,firefox').split(',');

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];

const browsers = [];
if (wanted.includes('chromium')) {
  browsers.push(chromeLauncher({
    launchOptions: { executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', headless: true, args: chromiumArgs },
    // A context per page: Chromium runs no animation frames in a tab that is not in front, and
    // xterm draws (and fills its screen-reader rows) only on animation frames.
    createPage: async ({ browser }) => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.on('close', () => void context.close().catch(() => {}));
      return page;
    },
  }));
}
if (wanted.includes('firefox')) {
  browsers.push(chromeLauncher({
    puppeteer: puppeteerCore,
    launchOptions: {
      browser: 'firefox',
      executablePath: process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr',
      headless: true,
      // background tabs would otherwise have their timers throttled to 1 s
      extraPrefsFirefox: {
        'dom.min_background_timeout_value': 4,
        'dom.min_background_timeout_value_without_budget_throttling': 4,
        'dom.timeout.enable_budget_timer_throttling': false,
        // and their animation frames (xterm draws on them) to 1 a second: as often as a front tab
        'layout.throttled_frame_rate': 60,
      },
    },
  }));
}

export default {
  // The repo root, wherever wtr is started from (a relative rootDir is taken from the working directory).
  rootDir: fileURLToPath(new URL('../..', import.meta.url)),
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  browsers,
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    {
      // A test that looks at what xterm drew makes its tab the one in front: a background tab
      // (Firefox runs concurrent test files as tabs of one window) may draw no frames at all.
      name: 'bring-to-front',
      async executeCommand({ command, session }) {
        if (command !== 'bring-to-front') return undefined;
        await session.browser.getPage(session.id).bringToFront();
        return true;
      },
    },
  ],
  middleware: [
    // A program URL that never answers, for runs that must be ended while they fetch.
    function neverAnswers(context, next) {
      if (context.path.startsWith('/__zerovm_test/never-answers')) return new Promise(() => {});
      return next();
    },
    // A repo file served slowly, in four pieces 150 ms apart with its content-length: a fetch that shows progress.
    async function slowly(context, next) {
      const prefix = '/__zerovm_test/slow/';
      if (!context.path.startsWith(prefix)) return next();
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(new URL(`../../${context.path.slice(prefix.length)}`, import.meta.url));
      const { PassThrough } = await import('node:stream');
      const body = new PassThrough();
      context.set('content-type', 'application/wasm');
      context.set('content-length', String(bytes.length));
      context.body = body;
      const quarter = Math.ceil(bytes.length / 4);
      let at = 0;
      const more = () => {
        if (at >= bytes.length) return void body.end();
        body.write(bytes.subarray(at, (at += quarter)));
        setTimeout(more, 150);
      };
      more();
    },
    // A repo file whose body stops after its first `split` bytes until the test lets it go on
    // (POST …?release): a program still downloading, for a test to look at meanwhile.
    (() => {
      const held = new Map();
      return async function heldBody(context, next) {
        const prefix = '/__zerovm_test/held/';
        if (!context.path.startsWith(prefix)) return next();
        const file = context.path.slice(prefix.length);
        if (context.method === 'POST') {
          held.get(file)?.();
          held.delete(file);
          context.status = 204;
          return;
        }
        const { readFile } = await import('node:fs/promises');
        const bytes = await readFile(new URL(`../../${file}`, import.meta.url));
        const split = Number(context.query.split);
        const { PassThrough } = await import('node:stream');
        const body = new PassThrough();
        context.set('content-type', 'application/wasm');
        context.set('content-length', String(bytes.length));
        context.body = body;
        body.write(bytes.subarray(0, split));
        held.set(file, () => body.end(bytes.subarray(split)));
      };
    })(),
    // Bytes a test puts (POST) and pages then fetch (GET), with their length and an ETag: a big
    // program served as a server would serve it, for the module cache's URL shortcut.
    (() => {
      const stored = new Map();
      return async function storedFiles(context, next) {
        const prefix = '/__zerovm_test/stored/';
        if (!context.path.startsWith(prefix)) return next();
        if (context.method === 'POST') {
          const chunks = [];
          for await (const chunk of context.req) chunks.push(chunk);
          const bytes = Buffer.concat(chunks);
          const { createHash } = await import('node:crypto');
          stored.set(context.path, { bytes, etag: `"${createHash('sha1').update(bytes).digest('hex')}"` });
          context.status = 204;
          return;
        }
        const file = stored.get(context.path);
        if (!file) return next();
        context.set('content-type', 'application/wasm');
        context.set('content-length', String(file.bytes.length));
        context.set('etag', file.etag);
        context.set('cache-control', 'no-cache');
        context.body = file.bytes;
      };
    })(),
    // The plugins' HTTP server (test/plugins/cases.ts httpRoutes, and /echo), for http_request.
    async function pluginHttp(context, next) {
      const prefix = '/__zerovm_test/plugin-http';
      if (!context.path.startsWith(prefix)) return next();
      const path = context.path.slice(prefix.length);
      const chunks = [];
      for await (const chunk of context.req) chunks.push(chunk);
      context.set('content-type', 'text/plain');
      if (path === '/echo') {
        context.status = 200;
        context.body = `${context.method} x-test=${context.get('x-test')} type=${context.get('content-type')} body=${Buffer.concat(chunks).toString()}`;
        return;
      }
      const routes = { '/hello': [200, 'hello from the server'], '/teapot': [418, "I'm a teapot"], '/empty': [204, ''] };
      const [status, body] = routes[path] ?? [404, 'not found'];
      context.status = status;
      context.body = body;
    },
    function crossOriginIsolation(context, next) {
      if (isolated) {
        context.set('Cross-Origin-Opener-Policy', 'same-origin');
        context.set('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      return next();
    },
  ],
};
