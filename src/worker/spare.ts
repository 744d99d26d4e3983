// ZeroVM's daemon mode, kept honestly: while the worker is idle it makes the next VM for the
// module it last ran (kernel and instance, never started), so a run of that module finds its
// instance waiting. Only for modules of modest memory, so that an idle worker holds little.
import { Kernel } from '../kernel/index.js';
import type { PluginEnv } from '../kernel/extism/env.js';
import { MEMORY_IMPORT } from '../contract/memory-import.js';
import { extism } from './extism.js';
import type { HeldModule } from './held-module.js';
import type { GivenMemory, Memories } from './memories.js';

/** A kernel (and a plugin's Extism env) and a fresh instance against it, not yet loaded or started. */
export interface Vm {
  kernel: Kernel;
  instance: WebAssembly.Instance;
  instantiateMs: number;
  env?: PluginEnv;
  /** The memory the worker gave it (a module whose memory is imported; see memories.ts). */
  memory?: GivenMemory;
}

const SPARE_MAX_MEMORY = 16 << 20;

/**
 * A VM of `module`; a plugin's when given the `user` functions it imports (its imports then include
 * Extism's); given `memory` when the module imports its memory.
 */
export function makeVm(module: WebAssembly.Module, kernel: Kernel, user?: string[], memory?: GivenMemory): Vm {
  const t0 = performance.now();
  const env = user ? new (extism().PluginEnv)(user, { suspending: kernel.suspending }) : undefined;
  let imports = env ? { ...kernel.imports, ...env.imports } : kernel.imports;
  if (memory) imports = { ...imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory.memory } };
  const instance = new WebAssembly.Instance(module, imports);
  return { kernel, instance, instantiateMs: performance.now() - t0, ...(env ? { env } : {}), ...(memory ? { memory } : {}) };
}

export class Spares {
  private spare: { key: string; vm: Vm } | null = null;

  constructor(private memories: Memories) {}

  /**
   * Makes the spare VM for `module` (called when the worker is idle), for a guest that waits by
   * suspending or not: their imports differ, so spares are keyed by that too.
   */
  prepare(held: HeldModule, suspending: boolean, plugin: boolean): void {
    const key = spareKey(held.key, suspending, plugin);
    if (this.spare?.key === key || held.notSpareable.has(key)) return;
    this.spare = null;
    try {
      const vm = makeVm(held.module, new Kernel(undefined, { suspending }), plugin ? held.user : undefined, this.memories.for(held));
      if ((vm.instance.exports.memory as WebAssembly.Memory).buffer.byteLength <= SPARE_MAX_MEMORY) this.spare = { key, vm };
    } catch {
      held.notSpareable.add(key); // made at each run instead, after its kernel is loaded
    }
  }

  /** The spare VM for module `key` in that mode, if one is waiting; it is the caller's from now on. */
  take(key: string, suspending: boolean, plugin = false): Vm | null {
    if (this.spare?.key !== spareKey(key, suspending, plugin)) return null;
    const { vm } = this.spare;
    this.spare = null;
    return vm;
  }
}

const spareKey = (key: string, suspending: boolean, plugin: boolean) => `${key}${suspending ? '/suspending' : ''}${plugin ? '/plugin' : ''}`;
