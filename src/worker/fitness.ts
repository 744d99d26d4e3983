// Whether a module can run as a WASI command (or a plugin) here, decided once per module per worker.
const MAX_VERDICTS = 256;

/** Imports the module asks for that the kernel does not provide, as `module.name`. */
function missingImports(module: WebAssembly.Module, imports: WebAssembly.Imports): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => !(i.module in imports) || !(i.name in (imports[i.module] as object)))
    .map((i) => `${i.module}.${i.name}`);
}

/** Why a module cannot run as a WASI command, or a plugin (missing imports, no _start, no memory), or null. */
function unfit(module: WebAssembly.Module, imports: WebAssembly.Imports, plugin: boolean): string | null {
  const missing = missingImports(module, imports);
  if (missing.length > 0) return `${plugin ? 'plugin' : 'program'} needs imports this runtime does not provide: ${missing.join(', ')}`;
  const exports = WebAssembly.Module.exports(module);
  if (!plugin && !exports.some((e) => e.name === '_start' && e.kind === 'function')) return 'program exports no _start function: it is not a WASI command';
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) return 'program exports no memory';
  return null;
}

/** Verdicts by module key: a module is checked once per worker, not once per run. */
export class Fitness {
  private verdicts = new Map<string, string | null>();
  private drawing = new Map<string, boolean>();

  /** Whether `module` imports random_get (then its seeded keystream must be loaded before it runs). */
  draws(module: WebAssembly.Module, key: string): boolean {
    let draws = this.drawing.get(key);
    if (draws === undefined) {
      if (this.drawing.size >= MAX_VERDICTS) this.drawing.clear();
      draws = WebAssembly.Module.imports(module).some((i) => i.module === 'wasi_snapshot_preview1' && i.name === 'random_get');
      this.drawing.set(key, draws);
    }
    return draws;
  }

  /** Why `module` cannot run against `imports` (as a plugin: no _start needed), or null when it can. */
  check(module: WebAssembly.Module, key: string, imports: WebAssembly.Imports, plugin = false): string | null {
    key = plugin ? `${key}/plugin` : key;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.clear();
      verdict = unfit(module, imports, plugin);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}
