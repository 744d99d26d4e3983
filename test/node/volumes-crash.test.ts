// Atomic commits, tried the hard way: a process (Node) or a page (Chromium) commits to a volume
// over and over and is killed — or reloaded — at a random moment, again and again. After every
// kill the volume must hold exactly one committed version, whole: its head's tree and every chunk
// present and matching their hashes, and the counter file it holds equal to its version (each
// commit adds 1), so its etag is the one before or the one after the interrupted run, never any
// other. The counts: ZEROVM_CRASH_RUNS (Node, default 60) and ZEROVM_CRASH_RELOADS (Chromium,
// default 60); the 1,000 and 200 are run by setting them.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { DirVolumeStore } from '../../src/cli/volume-dir.js';
import { treeFromBytes, treeHash } from '../../src/host/volumes/tree.js';
import { sha256 } from '../../src/host/sha256.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const counter = join(root, 'test/hostile/counter.wasm');
const RUNS = Number(process.env.ZEROVM_CRASH_RUNS ?? 60);
const RELOADS = Number(process.env.ZEROVM_CRASH_RELOADS ?? 60);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Node side: a process committing in a loop, printing each version it committed. */
const CHILD = `
import { NodeZeroVM } from ${JSON.stringify(join(root, 'dist/node.js'))};
const vm = new NodeZeroVM({ pool: 1, volumes: process.argv[2] });
for (;;) {
  const r = await vm.run({ program: ${JSON.stringify(counter)}, mounts: [{ guest: '/data', volume: 'c' }] });
  const v = r.volumes.c;
  if (v.outcome !== 'committed') { console.error(JSON.stringify(r)); process.exit(3); }
  console.log(v.versionAfter);
}
`;

/** Checks the volume is one committed version, whole; returns its version. */
async function checkWhole(dir: string): Promise<number> {
  const store = DirVolumeStore.under(dir);
  const head = await store.head('c');
  if (!head) return 0;
  const tree = treeFromBytes(new Uint8Array(readFileSync(join(dir, 'c', 'trees', head.root))));
  assert.equal(await treeHash(tree), head.root, 'the head names its tree');
  const file = tree.entries.find((e) => e.path === 'count');
  assert.ok(file?.type === 'file', 'the counter file is there');
  const chunks = await store.chunks('c', file.chunks);
  for (const [i, c] of chunks.entries()) assert.equal(await sha256(c), file.chunks[i], 'every chunk matches its hash');
  const count = Number(new TextDecoder().decode(chunks[0]).trim());
  assert.equal(count, head.version, `the counter (${count}) is the version (${head.version}): nothing half committed`);
  return head.version;
}

describe('atomic commits under crashes', { timeout: 900_000 }, () => {
  let script = '';
  before(() => {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    // A file, not --eval: the VM workers would inherit --input-type and refuse to start.
    script = join(mkdtempSync(join(tmpdir(), 'zerovm-crash-child-')), 'child.mjs');
    writeFileSync(script, CHILD);
  });

  it(`Node: a process killed at random ${RUNS} times while it runs and commits leaves every volume whole`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'zerovm-crash-'));
    let child: ChildProcess | null = null;
    try {
      let last = 0;
      let killedMidRun = 0;
      for (let i = 0; i < RUNS; i++) {
        child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
        let printed = last;
        child.stdout!.on('data', (b: Buffer) => (printed = Number(b.toString().trim().split('\n').at(-1))));
        // Wait for the first commit (the process is up), then kill at a random moment of the loop.
        while (printed === last && child.exitCode === null) await pause(5);
        await pause(Math.random() * 60);
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));
        const version = await checkWhole(dir);
        assert.ok(version >= printed && version <= printed + 1, `version ${version}: the last printed (${printed}) or the one after`);
        if (version === printed + 1) killedMidRun++; // killed after its commit landed, before it said so
        last = version;
      }
      t.diagnostic(`${RUNS} kills; ${last} commits in all; ${killedMidRun} kills fell between a commit landing and its report`);
    } finally {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [engine, reloads] of [['chromium', RELOADS], ['firefox', Math.max(10, Math.round(RELOADS / 6))]] as const) {
    it(`${engine}: a page reloaded at random ${reloads} times while it runs and commits leaves every volume whole, and reads what the last load committed`, async (t) => {
      const server = await serve(root);
      const browser = await launch(engine);
      try {
        const page = await browser.newPage();
        const url = `${server.url}test/volumes/crash.html`;
        let last = 0;
        for (let i = 0; i < reloads; i++) {
          await page.goto(url);
          // The page checks the volume first (as it finds it after the reload), then commits in a loop.
          const found = (await page.waitForFunction(() => (window as unknown as { checked?: unknown }).checked, { timeout: 30_000 }).then((h) => h.jsonValue())) as { version: number; count: number; error?: string };
          assert.equal(found.error, undefined, found.error);
          assert.equal(found.count, found.version, `reload ${i}: the counter is the version: nothing half committed`);
          assert.ok(found.version >= last, `reload ${i}: what the last load committed is there (${found.version} < ${last})`);
          last = found.version;
          await page.waitForFunction((v: number) => ((window as unknown as { committed?: number }).committed ?? 0) > v, { timeout: 30_000 }, last);
          await pause(Math.random() * 40);
        }
        t.diagnostic(`${engine}: ${reloads} reloads mid-run or mid-commit; ${last} commits in all`);
      } finally {
        await browser.close();
        server.close();
      }
    });
  }
});

function launch(engine: 'chromium' | 'firefox') {
  return engine === 'chromium'
    ? puppeteer.launch({
        executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
      })
    : puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr', headless: true });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

function serve(dir: string): Promise<{ url: string; server: Server; close(): void }> {
  const server = createServer((req, res) => {
    const file = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      if (!statSync(file).isFile()) throw new Error();
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server, close: () => server.close() });
    }),
  );
}
