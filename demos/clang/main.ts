// The "compile C in the page" demo (demos/clang.html): fetch clang and its sysroot with a progress
// bar, compile clang once (vm.preload), then each Compile & run is two VMs (compile.ts) and the
// result runs in <zero-vm>. Fetching starts when the page opens: the page is for nothing else.
import '../../src/elements/zero-vm.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import { capabilities } from '../../src/host/plan.js';
import { ZeroVM } from '../../src/index.js';
import { CCompiler, type Outcome } from './compile.js';
import { fetchAll, type Progress } from './load.js';

// Served from node_modules by `npm run dev`; a vite build copies them beside the page as assets.
const LLVM = new URL('../../node_modules/@yowasp/clang/gen/llvm.core.wasm', import.meta.url).href;
const SYSROOT = new URL('../../node_modules/@yowasp/clang/gen/llvm-resources.tar', import.meta.url).href;

const HELLO = `#include <stdio.h>

int main(void) {
    printf("Hello, world!\\n");
    return 0;
}
`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const source = $<HTMLTextAreaElement>('source');
const button = $<HTMLButtonElement>('compile');
const progress = $<HTMLProgressElement>('progress');
const phase = $<HTMLSpanElement>('phase');
const diagnostics = $<HTMLPreElement>('diagnostics');
const timings = $<HTMLParagraphElement>('timings');
const terminal = $<ZeroVmElement>('vm');

source.value = HELLO;
terminal.hidden = true; // its Run button has nothing to run before the first compile

// One ZeroVM for every compile: it keeps clang compiled (by the bytes' hash) and its worker keeps
// the sysroot unpacked, so only the first compile fetches and compiles anything.
const vm = new ZeroVM({ pool: 1 });
let compiler: Promise<CCompiler> | null = null;
let setupMs = 0;

const mb = (n: number) => (n / 1e6).toFixed(1);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function say(text: string, bar?: Progress | 'busy'): void {
  phase.textContent = text;
  progress.hidden = bar === undefined;
  if (bar === 'busy' || bar?.total === null) progress.removeAttribute('value'); // indeterminate
  else if (bar) progress.value = bar.loaded / bar.total!;
}

/** clang fetched, compiled and asked for its commands: once per page (again only after a failure). */
function toolchain(): Promise<CCompiler> {
  compiler ??= (async () => {
    const start = performance.now();
    const [llvm, sysroot] = await fetchAll([LLVM, SYSROOT], (p) =>
      say(`Downloading clang: ${mb(p.loaded)}${p.total === null ? '' : ` of ${mb(p.total)}`} MB`, p),
    );
    say('Compiling clang (75 MB of WebAssembly, once)…', 'busy');
    await vm.preload(llvm!);
    say('Unpacking the sysroot, asking clang for its commands…', 'busy');
    const ready = new CCompiler(vm, { llvm: llvm!, sysroot: sysroot! });
    await ready.plan();
    setupMs = performance.now() - start;
    return ready;
  })();
  compiler.catch(() => (compiler = null));
  return compiler;
}

async function compileAndRun(): Promise<void> {
  button.disabled = true;
  diagnostics.hidden = true;
  terminal.stop(); // the program being replaced, if it still runs (waiting for input, say)
  try {
    const ready = await toolchain();
    const outcome = await ready.compile(source.value, (step) => say(`${step}…`, 'busy'));
    show(outcome);
    if (!outcome.ok) {
      terminal.hidden = true; // the last program's output would look like this one's
      say(outcome.stage === 'compile' ? 'Compile failed: nothing was run.' : 'Link failed: nothing was run.');
      return;
    }
    say(`Compiled main.wasm (${outcome.wasm.length} bytes); it runs below.`);
    // Its stdin is the keyboard where the page can make a VM wait for it (isolated, or JSPI).
    const can = capabilities();
    terminal.manifest = {
      program: outcome.wasm,
      args: ['main'],
      ...(can.share || can.suspend ? { channels: [{ path: '/dev/stdin', source: 'live' as const }] } : {}),
    };
    terminal.hidden = false;
    terminal.run().catch(() => undefined); // a failed run is shown in the element's status line
    terminal.focus();
  } catch (e) {
    say(`Failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    button.disabled = false;
  }
}

/** clang's and wasm-ld's messages, and what each step took. */
function show(outcome: Outcome): void {
  diagnostics.textContent = outcome.diagnostics;
  diagnostics.hidden = outcome.diagnostics === '';
  diagnostics.classList.toggle('failed', !outcome.ok);
  // compileMs is the time a run spent compiling clang: 0 when the host had it compiled already.
  const compileMs = outcome.steps.reduce((n, s) => n + s.timings.compileMs, 0);
  timings.textContent = [
    ...(setupMs ? [`setup (download, compile clang, sysroot) ${seconds(setupMs)}`] : []),
    ...outcome.steps.map((s) => `${s.name} ${seconds(s.ms)}`),
    compileMs === 0 ? 'clang not compiled again' : `clang compiled again: ${seconds(compileMs)}`,
  ].join(' · ');
  timings.dataset.compileMs = String(compileMs);
  setupMs = 0; // said once
}

button.addEventListener('click', () => void compileAndRun());
source.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    if (!button.disabled) void compileAndRun();
  }
});
void toolchain().then(
  () => say('clang is ready.'),
  (e: Error) => say(`Could not load clang: ${e.message}`),
);
