// The clang demo. Its compile steps (demos/clang/compile.ts) in Node: the same argument construction
// as the page, on NodeZeroVM with @yowasp/clang from node_modules. Then the page itself, from the
// dev server (`npm run dev`), in Chromium: Compile & run, and a second compile that fetches and
// compiles clang no more. clang is a 75 MB module: one compile + link + run and one error in each.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createServer, type ViteDevServer } from 'vite';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { CCompiler, driverCommands, rewire } from '../../demos/clang/compile.js';

const gen = (file: string) => fileURLToPath(new URL(`../../node_modules/@yowasp/clang/gen/${file}`, import.meta.url));

describe('compiling C with clang in VMs (the clang demo)', { timeout: 240_000 }, () => {
  let vm: NodeZeroVM;
  let compiler: CCompiler;

  before(async () => {
    vm = new NodeZeroVM({ pool: 1 });
    const llvm = new Uint8Array(readFileSync(gen('llvm.core.wasm')));
    await vm.preload(llvm);
    compiler = new CCompiler(vm, { llvm, sysroot: gen('llvm-resources.tar') });
  });

  after(() => vm.dispose());

  it('rewires the driver commands: cc1 and wasm-ld write to stdout, the object passes as main.o', () => {
    const printed = [
      ' "" "clang" "-cc1" "-triple" "wasm32-unknown-wasip1" "-D" "Q=\\"x\\"" "-o" "/tmp/main-1.o" "-x" "c" "main.c"',
      ' "wasm-ld" "-m" "wasm32" "/usr/lib/wasm32-wasip1/crt1-command.o" "/tmp/main-1.o" "-lc" "-o" "main.wasm"',
    ].join('\n');
    assert.deepEqual(rewire(driverCommands(`clang version 22\n${printed}\n`)), {
      cc1: ['clang', '-cc1', '-triple', 'wasm32-unknown-wasip1', '-D', 'Q="x"', '-o', '-', '-x', 'c', 'main.c'],
      link: ['wasm-ld', '-m', 'wasm32', '/usr/lib/wasm32-wasip1/crt1-command.o', 'main.o', '-lc', '-o', '-'],
    });
  });

  it('compiles and links hello world, which then runs and says Hello; clang is not compiled again', async () => {
    const outcome = await compiler.compile('#include <stdio.h>\nint main(void) { printf("Hello, %s!\\n", "world"); return 0; }\n');
    assert.ok(outcome.ok, outcome.diagnostics);
    assert.deepEqual(outcome.steps.map((s) => [s.name, s.timings.compileMs]), [['clang -cc1', 0], ['wasm-ld', 0]]);
    const report = await vm.run({ program: outcome.wasm });
    assert.equal(report.status, 'ok', report.message);
    assert.equal(report.exitCode, 0);
    assert.equal(report.stdout, 'Hello, world!\n');
  });

  it('a compile error gives clang messages and no link', async () => {
    const outcome = await compiler.compile('int main(void) {\n  return undeclared;\n}\n');
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.stage === 'compile');
    assert.match(outcome.diagnostics, /main\.c:2:10: error: use of undeclared identifier 'undeclared'/);
    assert.deepEqual(outcome.steps.map((s) => s.name), ['clang -cc1']);
  });
});

describe('the clang demo page in Chromium (npm run dev)', { timeout: 240_000 }, () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // Its own dependency cache, so that no other dev server's (a developer's) is touched.
  const cacheDir = mkdtempSync(join(tmpdir(), 'zerovm-clang-vite-'));
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const clangFetches: string[] = [];

  before(async () => {
    server = await createServer({ root, cacheDir, logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false } });
    await server.listen();
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    page = await browser.newPage();
    page.on('request', (r) => void (r.url().includes('@yowasp/clang') && clangFetches.push(r.url())));
    await page.goto(new URL('demos/clang.html', server.resolvedUrls!.local[0]).href);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Clicks Compile & run and waits until it is done: the click disables the button until then. */
  async function compile(source: string): Promise<{ phase: string; diagnostics: string; compileMs: string | undefined }> {
    await page.$eval('#source', (el, text) => void ((el as HTMLTextAreaElement).value = text), source);
    await page.click('#compile');
    await page.waitForFunction(() => !(document.getElementById('compile') as HTMLButtonElement).disabled, { timeout: 180_000 });
    return page.evaluate(() => ({
      phase: document.getElementById('phase')!.textContent ?? '',
      diagnostics: document.getElementById('diagnostics')!.textContent ?? '',
      compileMs: document.getElementById('timings')!.dataset.compileMs,
    }));
  }

  /** The <zero-vm>'s report once its run has ended, with what it printed. */
  async function ran(): Promise<{ status: string; exitCode: number | null; output: string }> {
    type Element = HTMLElement & { lastReport: { status: string; exitCode: number | null } | null; output: string };
    await page.waitForFunction(() => (document.querySelector('zero-vm') as Element).lastReport !== null, { timeout: 60_000 });
    return page.$eval('zero-vm', (el) => {
      const { lastReport, output } = el as Element;
      return { status: lastReport!.status, exitCode: lastReport!.exitCode, output };
    });
  }

  it('compiles hello world on Compile & run, and the terminal shows its output', async () => {
    const first = await compile('#include <stdio.h>\nint main(void) { puts("Hello from the page"); return 0; }\n');
    assert.match(first.phase, /^Compiled main\.wasm/, first.diagnostics);
    assert.deepEqual(await ran(), { status: 'ok', exitCode: 0, output: 'Hello from the page\n' });
  });

  it('a compile error shows clang\'s messages and runs nothing; clang was fetched and compiled once', async () => {
    const failed = await compile('int main(void) {\n  return missing;\n}\n');
    assert.equal(failed.phase, 'Compile failed: nothing was run.');
    assert.match(failed.diagnostics, /main\.c:2:10: error: use of undeclared identifier 'missing'/);
    assert.equal(await page.$eval('zero-vm', (el) => (el as HTMLElement).hidden), true);
    assert.equal(failed.compileMs, '0');
    assert.equal(clangFetches.length, 2, clangFetches.join('\n')); // llvm.core.wasm and the sysroot, once each
  });
});
