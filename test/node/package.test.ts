// The package as a user meets it: `npm pack`, the tarball installed into a throwaway project
// outside the repository, then (a) a Vite build of a page with <zero-vm> and run(), loaded in
// Chromium; (b) a plain HTML page importing dist/ by relative URL from a static server without
// cross-origin isolation, in Chromium and Firefox; (c) `import('zerovm-web/node')`; (d) `npx zerovm`.
// It needs nothing beyond the tarball and the npm registry (the local cache first).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const viteVersion = (JSON.parse(readFileSync(join(root, 'node_modules/vite/package.json'), 'utf8')) as { version: string }).version;

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** A static file server; `isolated` adds the headers that make a page cross-origin isolated. */
function serve(dir: string, isolated: boolean): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server });
  }));
}

const launch = (browser: 'chrome' | 'firefox'): Promise<Browser> =>
  browser === 'chrome'
    ? puppeteer.launch({
        executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
      })
    : puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr', headless: true });

/** A page's plugin call (window.pluginOutput): the echo plugin of test/plugins, by `url`. */
const PLUGIN_CALL = (url: string) =>
  `window.pluginOutput = new ZeroVM({ pool: 1 }).plugin({ program: '${url}' }).then((p) => p.call('echo', 'through the chunks')).then((r) => r.text());`;

/** What the page's <zero-vm> printed and what its run() reported, once both are done. */
async function pageResult(browser: Browser, url: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => (document.querySelector('zero-vm') as { lastReport?: unknown } | null)?.lastReport, { timeout: 30_000 });
    return await page.evaluate(async () => {
      const element = document.querySelector('zero-vm') as unknown as { output: string; terminalText(): Promise<string> };
      const page = window as unknown as { apiReport: Promise<{ status: string; stdout: string }>; pluginOutput: Promise<string> };
      const report = await page.apiReport;
      // A plugin call loads the host's plugin chunk and the worker's Extism chunk: both must ship.
      const plugin = await page.pluginOutput.catch((e: Error) => `failed: ${e.message}`);
      return { isolated: crossOriginIsolated, terminal: await element.terminalText(), output: element.output, status: report.status, stdout: report.stdout, plugin };
    });
  } catch (e) {
    throw new Error(`${url}: ${(e as Error).message}; page errors: ${errors.join('; ')}`);
  } finally {
    await page.close();
  }
}

describe('the packed package in a consumer project', { timeout: 300_000 }, () => {
  let work = '';
  let project = '';
  let tarball = '';
  const servers: Server[] = [];
  const browsers: Browser[] = [];

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'zerovm-consumer-'));
    npm(['pack', '--pack-destination', work, '--silent'], root); // prepack builds dist/
    tarball = join(work, `zerovm-web-${version}.tgz`);
    project = join(work, 'project');
    mkdirSync(join(project, 'public'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vite@${viteVersion}`], project);
    copyFileSync(join(root, 'public/programs/hello.wasm'), join(project, 'hello.wasm'));
    copyFileSync(join(root, 'public/programs/hello.wasm'), join(project, 'public/hello.wasm'));
    copyFileSync(join(root, 'test/plugins/plugin.wasm'), join(project, 'plugin.wasm'));
    copyFileSync(join(root, 'test/plugins/plugin.wasm'), join(project, 'public/plugin.wasm'));
  });

  after(async () => {
    for (const b of browsers) await b.close();
    for (const s of servers) s.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('ships dist/ (JS, .d.ts, the worker) and custom-elements.json, and no tests or bench', () => {
    const [{ files, size }] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root)) as { files: { path: string }[]; size: number }[];
    const paths = files.map((f) => f.path);
    for (const needed of ['dist/index.js', 'dist/element.js', 'dist/vm-worker.js', 'dist/node.js', 'dist/node-worker.js', 'dist/cli.js',
      'dist/types/index.d.ts', 'dist/types/elements/zero-vm.d.ts', 'dist/types/node.d.ts', 'custom-elements.json', 'README.md', 'LICENSE']) {
      assert.ok(paths.includes(needed), `${needed} is in the tarball`);
    }
    assert.deepEqual(paths.filter((p) => /^(test|demos|src|scripts|public)\/|\.test\.|bench/.test(p)), [], 'no tests, bench, sources or demo programs');
    assert.ok(size < 400_000, `tarball of ${size} bytes`);
  });

  it('(c) runs a program from Node: import("zerovm-web/node")', () => {
    const out = execFileSync(process.execPath, ['-e', `import('zerovm-web/node').then(async ({ runInNode }) => {
      const r = await runInNode({ program: 'hello.wasm' });
      console.log(JSON.stringify({ status: r.status, stdout: r.stdout }));
    })`], { cwd: project, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { status: 'ok', stdout: 'Hello, world!\n' });
  });

  it('(d) runs a program with npx zerovm', () => {
    const r = spawnSync('npx', ['--no-install', 'zerovm', 'run', 'hello.wasm'], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Hello, world!\n');
  });

  it('(a) a Vite build: <zero-vm src autorun> prints, run() reports (Chromium, isolated)', async () => {
    writeFileSync(join(project, 'index.html'), '<!doctype html><zero-vm src="/hello.wasm" autorun></zero-vm><script type="module" src="/main.js"></script>');
    writeFileSync(join(project, 'main.js'), `import 'zerovm-web/element';\nimport { run, ZeroVM } from 'zerovm-web';\nwindow.apiReport = run({ program: '/hello.wasm' });\n${PLUGIN_CALL('/plugin.wasm')}\n`);
    const built = spawnSync('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: project, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const { url, server } = await serve(join(project, 'dist'), true);
    servers.push(server);
    const chrome = await launch('chrome');
    browsers.push(chrome);
    const result = await pageResult(chrome, url);
    assert.equal(result.isolated, true, 'the built page is cross-origin isolated (the shared link)');
    assert.match(result.terminal, /Hello, world!/);
    assert.deepEqual([result.status, result.stdout, result.plugin], ['ok', 'Hello, world!\n', 'through the chunks']);
  });

  it('(a) the same page from the Vite dev server (the worker found through its dependency optimizer)', async () => {
    const dev = spawn(process.execPath, [join(project, 'node_modules/vite/bin/vite.js'), '--port', '0', '--strictPort=false'], { cwd: project });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        dev.stdout.on('data', (b: Buffer) => {
          seen += b;
          const match = /Local:\s+(http:\/\/\S+)/.exec(seen.replace(/\x1b\[[0-9;]*m/g, ''));
          if (match) resolve(match[1]);
        });
        dev.on('exit', () => reject(new Error(`vite dev exited: ${seen}`)));
      });
      const chrome = browsers[0] ?? (await launch('chrome'));
      if (!browsers.includes(chrome)) browsers.push(chrome);
      const result = await pageResult(chrome, url);
      assert.match(result.terminal, /Hello, world!/);
      assert.deepEqual([result.status, result.stdout, result.plugin], ['ok', 'Hello, world!\n', 'through the chunks']);
    } finally {
      dev.kill();
    }
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    it(`(b) a plain page importing dist/ by relative URL, no isolation (${browser})`, async () => {
      writeFileSync(join(project, 'plain.html'), `<!doctype html>
<zero-vm src="hello.wasm" autorun></zero-vm>
<script type="module">
  import './node_modules/zerovm-web/dist/element.js';
  import { run, ZeroVM } from './node_modules/zerovm-web/dist/index.js';
  window.apiReport = run({ program: 'hello.wasm' });
  ${PLUGIN_CALL('plugin.wasm')}
</script>`);
      const { url, server } = await serve(project, false);
      servers.push(server);
      const b = await launch(browser);
      browsers.push(b);
      const result = await pageResult(b, `${url}plain.html`);
      assert.equal(result.isolated, false, 'the page is not cross-origin isolated (the message link)');
      assert.match(result.terminal, /Hello, world!/);
      assert.deepEqual([result.status, result.stdout, result.plugin], ['ok', 'Hello, world!\n', 'through the chunks']);
    });
  }
});
