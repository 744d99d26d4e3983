// A module the host gave this worker, with what the worker has worked out about it: each fact is
// read from the module once (reading a module's imports costs microseconds), and all of them go
// when the host tells the worker to drop the module — one bound for everything, the host's.
import { isMemoryImport, MEMORY_SECTION, type MemoryShape } from '../contract/memory-import.js';

/** What a plugin module needs: the imports it may have, the user functions it imports, and whether it calls the host (its replies are recorded). */
export interface PluginShape {
  imports: WebAssembly.Imports;
  user: string[];
  callsHost: boolean;
}

export class HeldModule {
  /** Why it cannot run as a command / as a plugin (null: it can); undefined until checked. */
  verdict: { command?: string | null; plugin?: string | null } = {};
  plugin?: PluginShape;
  /** The spare VMs (by spare key) it cannot have made ahead: a start function that calls the kernel while instantiated. */
  readonly notSpareable = new Set<string>();
  private imported?: WebAssembly.ModuleImportDescriptor[];
  private drawing?: boolean;
  private shape?: MemoryShape | null;
  private userNames?: string[];

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

  /** The memory the worker gives it (the policy made its memory an import, with its limits in a section); null when it has its own. */
  get memory(): MemoryShape | null {
    if (this.shape === undefined) this.shape = readShape(this);
    return this.shape;
  }

  /** The `extism:host/user` functions it imports: the host functions a plugin needs granted. */
  get user(): string[] {
    return (this.userNames ??= this.imports.flatMap((i) => (i.module === 'extism:host/user' && i.kind === 'function' ? [i.name] : [])));
  }
}

function readShape(held: HeldModule): MemoryShape | null {
  const imported = held.imports.some((i) => isMemoryImport(i) && i.kind === 'memory');
  if (!imported) return null;
  const [section] = WebAssembly.Module.customSections(held.module, MEMORY_SECTION);
  if (!section) return null; // not ours: the fitness check refuses it as a missing import
  try {
    const { initial, maximum } = JSON.parse(new TextDecoder().decode(section)) as MemoryShape;
    return Number.isInteger(initial) && Number.isInteger(maximum) ? { initial, maximum } : null;
  } catch {
    return null;
  }
}
