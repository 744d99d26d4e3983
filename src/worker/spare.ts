// ZeroVM's daemon mode, kept honestly: while the worker is idle it makes the next VM for the
// module it last ran (kernel and instance, never started), so a run of that module finds its
// instance waiting. Only for modules of modest memory, so that an idle worker holds little.
// When the runs come alike (the same request again: see last-request.ts), the spare's kernel is
// loaded for that request too, so that the next such run has nothing to build before its guest.
import { Kernel } from '../kernel/index.js';
import type { VmRequest } from '../contract/protocol.js';
import type { PluginEnv } from '../kernel/extism/env.js';
import { MEMORY_IMPORT } from '../contract/memory-import.js';
import { extism } from './extism.js';
import type { HeldModule } from './held-module.js';
import type { GivenMemory, Memories } from './memories.js';

/** A kernel (and a plugin's Extism env) and a fresh instance against it, not yet started (nor loaded, but for `loadedFor`). */
export interface Vm {
  kernel: Kernel;
  instance: WebAssembly.Instance;
  instantiateMs: number;
  env?: PluginEnv;
  /** The memory the worker gave it (a module whose memory is imported; see memories.ts). */
  memory?: GivenMemory;
  /** The request its kernel was loaded for ahead of the run (a kernel is loaded once). */
  loadedFor?: VmRequest;
}

/** A request the next VM's kernel may be loaded for ahead, and how. */
export interface LoadAhead {
  request: VmRequest;
  load(kernel: Kernel): void;
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
   * suspending or not: their imports differ, so spares are keyed by that too. Given `ahead`, its
   * kernel is loaded for that request as well.
   */
  prepare(held: HeldModule, suspending: boolean, plugin: boolean, ahead?: LoadAhead): void {
    const key = spareKey(held.key, suspending, plugin);
    if (held.notSpareable.has(key)) return;
    const loadedFor = this.spare?.vm.loadedFor;
    if (this.spare?.key !== key || (loadedFor !== undefined && loadedFor !== ahead?.request)) {
      this.drop();
      try {
        const vm = makeVm(held.module, new Kernel(undefined, { suspending }), plugin ? held.user : undefined, this.memories.for(held));
        if ((vm.instance.exports.memory as WebAssembly.Memory).buffer.byteLength <= SPARE_MAX_MEMORY) this.spare = { key, vm };
      } catch {
        held.notSpareable.add(key); // made at each run instead, after its kernel is loaded
      }
    }
    const spare = this.spare;
    if (!ahead || !spare || spare.vm.loadedFor !== undefined) return;
    try {
      ahead.load(spare.vm.kernel);
      spare.vm.loadedFor = ahead.request;
    } catch {
      this.drop(); // the run loads a kernel of its own, and says what is wrong
    }
  }

  /**
   * The spare VM for module `key` in that mode, if one is waiting; it is the caller's from now on.
   * One whose kernel was loaded for another request than `request` is no use to any run: dropped.
   */
  take(key: string, suspending: boolean, plugin = false, request?: VmRequest): Vm | null {
    if (this.spare?.key !== spareKey(key, suspending, plugin)) return null;
    const { vm } = this.spare;
    if (vm.loadedFor !== undefined && vm.loadedFor !== request) {
      this.drop();
      return null;
    }
    this.spare = null;
    return vm;
  }

  /** Lets the spare go; its memory, never used, goes to the next VM. */
  private drop(): void {
    const memory = this.spare?.vm.memory;
    if (memory) this.memories.give(memory);
    this.spare = null;
  }
}

const spareKey = (key: string, suspending: boolean, plugin: boolean) => `${key}${suspending ? '/suspending' : ''}${plugin ? '/plugin' : ''}`;
