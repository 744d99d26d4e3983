// C to WASI in VMs, with @yowasp/clang: the page (demos/clang/main.ts) and its Node test share this.
// llvm.core.wasm is one preview1 command for all of LLVM's tools (argv[0] picks clang or wasm-ld),
// and its llvm-resources.tar holds the headers and libraries under include/ and lib/: mounted at
// /usr, where this build's driver looks (-resource-dir /usr -isysroot /usr). WASI cannot spawn
// processes, so the driver cannot run its compiler and linker: `clang -###` prints their command
// lines once, and each compile runs them as two VMs, passing the object file from one to the other.
import type { Manifest, Report, RunOptions, Timings } from '../../src/index.js';

/** A ZeroVM on the page, a NodeZeroVM in the test. */
export interface Runner {
  run(manifest: Manifest, options?: RunOptions): Promise<Report>;
}

export interface Toolchain {
  /** llvm.core.wasm. Pass the same object every time: the host caches its compiled module by it. */
  llvm: Uint8Array;
  /** llvm-resources.tar, as bytes or a URL: the host loads an image once and each worker unpacks it once. */
  sysroot: Uint8Array | string;
}

/** The two command lines of `clang --target=wasm32-wasip1 -O2 main.c -o main.wasm`. */
export interface Commands {
  cc1: string[];
  link: string[];
}

export interface Step {
  name: 'clang -cc1' | 'wasm-ld';
  /** Wall-clock ms of the whole run, as the page saw it. */
  ms: number;
  /** The VM's own timings: compileMs is 0 when the compiled clang came from the host's cache. */
  timings: Timings;
}

export type Outcome =
  | { ok: true; wasm: Uint8Array; diagnostics: string; steps: Step[] }
  | { ok: false; stage: 'compile' | 'link'; diagnostics: string; steps: Step[] };

/** The source's file name: relative, so that clang's messages say `main.c:3:5`, not a guest path. */
const SOURCE = 'main.c';
const OBJECT = 'main.o';
const DRIVER = ['clang', '-###', '--target=wasm32-wasip1', '-O2', SOURCE, '-o', 'main.wasm'];
// /tmp: the driver names the object file there (and fails to without it). The source and the
// object sit at the root, which is preopened since they lie outside every mount, and is the cwd.
const MOUNTS = (sysroot: Uint8Array | string) => [{ guest: '/usr', image: sysroot }, { guest: '/tmp' }];
// Default memory limit, as vm.preload() compiles with: a different one would compile clang again.
const LIMITS = { timeout: 120_000 };

/** The quoted arguments of each command line in `clang -###` output (`"a" "b\"c"`, one per line). */
export function driverCommands(stderr: string): string[][] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith(' "'))
    .map((line) => Array.from(line.matchAll(/"((?:[^"\\]|\\.)*)"/g), (m) => m[1]!.replace(/\\(.)/g, '$1')));
}

/**
 * The driver's command lines, rewired: cc1 writes the object to stdout (`-o -`), wasm-ld reads it as
 * main.o and writes the program to stdout. Nothing comes back from a VM's files, so stdout it is.
 */
export function rewire(commands: string[][]): Commands {
  const [compile, link] = commands;
  if (commands.length !== 2 || !compile || !link) throw new Error(`clang -### gave ${commands.length} commands, expected cc1 and wasm-ld`);
  // The first word is the driver's own path, empty in WASI; argv[0] "clang" and then -cc1 follow.
  const cc1 = compile[0] === '' ? compile.slice(1) : [...compile];
  const out = cc1.lastIndexOf('-o');
  const object = cc1[out + 1];
  const input = link.indexOf(object ?? '');
  const linkOut = link.lastIndexOf('-o');
  if (cc1[0] !== 'clang' || out < 0 || input < 0 || linkOut < 0) throw new Error(`unexpected clang -### commands: ${JSON.stringify(commands)}`);
  cc1[out + 1] = '-';
  const linked = [...link];
  linked[input] = OBJECT;
  linked[linkOut + 1] = '-';
  return { cc1, link: linked };
}

/** Compiles and links C sources in VMs of `vm`, asking the driver for its commands on the first compile. */
export class CCompiler {
  private commands: Promise<Commands> | null = null;

  constructor(private vm: Runner, private toolchain: Toolchain) {}

  /** The commands, from one `clang -###` run (made once; a failure is forgotten, to try again). */
  plan(): Promise<Commands> {
    this.commands ??= this.vm
      .run({ program: this.toolchain.llvm, args: DRIVER, files: { [`/${SOURCE}`]: '' }, mounts: MOUNTS(this.toolchain.sysroot), limits: LIMITS })
      .then((report) => {
        if (report.status !== 'ok' || report.exitCode !== 0) throw new Error(`clang -### failed: ${report.message} ${report.stderr}`.trim());
        return rewire(driverCommands(report.stderr));
      });
    this.commands.catch(() => (this.commands = null));
    return this.commands;
  }

  /** Compiles `source` as main.c and links it; on failure, clang's or wasm-ld's messages and no program. */
  async compile(source: string, onStep?: (name: Step['name']) => void): Promise<Outcome> {
    const { cc1, link } = await this.plan();
    const steps: Step[] = [];
    onStep?.('clang -cc1');
    const compiled = await this.step(steps, 'clang -cc1', cc1, { [`/${SOURCE}`]: source });
    if (!compiled.ok) return { ok: false, stage: 'compile', diagnostics: compiled.diagnostics, steps };
    onStep?.('wasm-ld');
    const linked = await this.step(steps, 'wasm-ld', link, { [`/${OBJECT}`]: compiled.bytes });
    const diagnostics = compiled.diagnostics + linked.diagnostics;
    return linked.ok ? { ok: true, wasm: linked.bytes, diagnostics, steps } : { ok: false, stage: 'link', diagnostics, steps };
  }

  private async step(steps: Step[], name: Step['name'], args: string[], files: Record<string, string | Uint8Array>) {
    const chunks: Uint8Array[] = [];
    const start = performance.now();
    // passthrough: every stdout byte reaches onStdout, even past limits.output (which caps only the report).
    const report = await this.vm.run(
      { program: this.toolchain.llvm, args, files, mounts: MOUNTS(this.toolchain.sysroot), limits: LIMITS },
      { onStdout: (bytes) => void chunks.push(bytes.slice()), passthrough: true },
    );
    steps.push({ name, ms: performance.now() - start, timings: report.timings });
    const ok = report.status === 'ok' && report.exitCode === 0;
    // A trap or timeout has no messages of clang's own: say what ended it.
    const ended = report.status === 'ok' ? '' : `${name}: ${report.status}${report.message ? `: ${report.message}` : ''}\n`;
    return { ok, bytes: concat(chunks), diagnostics: report.stderr + ended };
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
