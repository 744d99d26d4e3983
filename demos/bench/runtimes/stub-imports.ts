// "Bare" WASI: just enough imports for a command to start, read argv and exit, everything else a
// stub. The baseline for compute overhead: what the module costs with no runtime around it.

export class StubExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const ENOSYS = 52;

export function stubImports(module: WebAssembly.Module, args: string[], getMemory: () => WebAssembly.Memory): WebAssembly.Imports {
  const encoded = args.map((a) => new TextEncoder().encode(`${a}\0`));
  const view = () => new DataView(getMemory().buffer);
  const given: Record<string, (...a: number[]) => number> = {
    args_sizes_get(argc, size) {
      view().setUint32(argc, encoded.length, true);
      view().setUint32(size, encoded.reduce((n, a) => n + a.length, 0), true);
      return 0;
    },
    args_get(argv, buf) {
      const bytes = new Uint8Array(getMemory().buffer);
      for (const a of encoded) {
        view().setUint32(argv, buf, true);
        bytes.set(a, buf);
        argv += 4;
        buf += a.length;
      }
      return 0;
    },
    environ_sizes_get(count, size) {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return 0;
    },
    fd_write(_fd, iovs, n, written) {
      let total = 0;
      for (let i = 0; i < n; i++) total += view().getUint32(iovs + 8 * i + 4, true);
      view().setUint32(written, total, true);
      return 0;
    },
    proc_exit(code) {
      throw new StubExit(code);
    },
  };
  const imports: Record<string, Record<string, (...a: number[]) => number>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = given[imp.name] ?? (() => ENOSYS);
  }
  return imports;
}

/** Instantiates and runs a command with stub imports; its _start's time in ms. */
export function runBare(module: WebAssembly.Module, args: string[]): { exitCode: number; runMs: number } {
  let memory: WebAssembly.Memory | null = null;
  const instance = new WebAssembly.Instance(module, stubImports(module, args, () => memory!));
  memory = instance.exports.memory as WebAssembly.Memory;
  const start = performance.now();
  let exitCode = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (e) {
    if (!(e instanceof StubExit)) throw e;
    exitCode = e.code;
  }
  return { exitCode, runMs: performance.now() - start };
}
