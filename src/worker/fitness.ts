// Whether a module can run as a WASI command (or a plugin) here, decided once per module per worker.
import { isMemoryImport } from '../contract/memory-import.js';
import type { HeldModule } from './held-module.js';

/** Imports the module asks for that the kernel does not provide (nor the worker: its memory, for a module the policy made import it), as `module.name`. */
function missingImports(held: HeldModule, imports: WebAssembly.Imports): string[] {
  return held.imports
    .filter((i) => (isMemoryImport(i) ? held.memory === null : !(i.module in imports) || !(i.name in (imports[i.module] as object))))
    .map((i) => `${i.module}.${i.name}`);
}

/** Why a module cannot run as a WASI command, or a plugin (missing imports, no _start, no memory), or null. */
function unfit(held: HeldModule, imports: WebAssembly.Imports, plugin: boolean): string | null {
  const missing = missingImports(held, imports);
  if (missing.length > 0) return `${plugin ? 'plugin' : 'program'} needs imports this runtime does not provide: ${missing.join(', ')}`;
  const exports = WebAssembly.Module.exports(held.module);
  if (!plugin && !exports.some((e) => e.name === '_start' && e.kind === 'function')) return 'program exports no _start function: it is not a WASI command';
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) return 'program exports no memory';
  return null;
}

/** Why `held` cannot run against `imports` (as a plugin: no _start needed), or null when it can: checked once per module. */
export function check(held: HeldModule, imports: WebAssembly.Imports, plugin: boolean): string | null {
  const slot = plugin ? 'plugin' : 'command';
  let verdict = held.verdict[slot];
  if (verdict === undefined) held.verdict[slot] = verdict = unfit(held, imports, plugin);
  return verdict;
}
