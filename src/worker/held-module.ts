// A module the host gave this worker, with what the worker has worked out about it: each fact is
// read from the module once (reading a module's imports costs microseconds), and all of them go
// when the host tells the worker to drop the module — one bound for everything, the host's.
import type { MemoryShape } from '../contract/memory-import.js';

/** What a plugin module needs: the imports it may have, the user functions it imports, and whether it calls the host (its replies are recorded). */
export interface PluginShape {
  imports: WebAssembly.Imports;
  user: string[];
  callsHost: boolean;
}

export class HeldModule {
  /** Why it cannot run as a command / as a plugin (null: it can); undefined until checked. */
  verdict: { command?: string | null; plugin?: string | null } = {};
  /** The memory the worker gives it (null: it has its own); undefined until read. */
  memory?: MemoryShape | null;
  /** The `extism:host/user` functions it imports. */
  user?: string[];
  plugin?: PluginShape;
  private imported?: WebAssembly.ModuleImportDescriptor[];
  private drawing?: boolean;

  constructor(
    /** Content hash and policy, as the host names it. */
    readonly key: string,
    readonly module: WebAssembly.Module,
  ) {}

  get imports(): WebAssembly.ModuleImportDescriptor[] {
    return (this.imported ??= WebAssembly.Module.imports(this.module));
  }

  /** Whether it imports random_get (then the seeded keystream must be loaded before it runs). */
  get draws(): boolean {
    return (this.drawing ??= this.imports.some((i) => i.module === 'wasi_snapshot_preview1' && i.name === 'random_get'));
  }
}
