// One VM's kernel: wasi_snapshot_preview1 over an in-memory filesystem and the VM's channels.
// Built fresh for every run; nothing survives it.
import { STAT_FIELDS } from '../contract/link.js';
import type { VolumeEntry } from '../contract/fs-image.js';
import type { ChannelReport } from '../contract/report.js';
import { RIGHTS_ALL, RIGHTS_DIR } from './abi.js';
import { Channel, nullDevice, quotasOf } from './channel.js';
import type { KernelConfig } from './config.js';
import { MAY_BLOCK, noWaiting, Suspend, suspendable } from './blocking.js';
import type { Context, Syscall } from './context.js';
import { Descriptor, DescriptorTable, rightsFor } from './descriptors.js';
import { Exit } from './errors.js';
import { FileBudget } from './fs/file-bytes.js';
import { Filesystem } from './fs/filesystem.js';
import { encodeStrings, GuestMemory } from './memory.js';
import { argsEnvCalls } from './wasi/args-env.js';
import { clockRandomCalls } from './wasi/clocks-random.js';
import { fdIoCalls } from './wasi/fd-io.js';
import { fdMetaCalls } from './wasi/fd-meta.js';
import { pathCalls } from './wasi/path.js';
import { pollCalls } from './wasi/poll.js';
import { procCalls } from './wasi/proc.js';
import { sockCalls } from './wasi/sock.js';

/** The kernel cannot be built as configured (a limit too small for what must be open). */
export class KernelConfigError extends Error {}

/**
 * A syscall made before the guest was started: from a start function, while the module is being
 * instantiated, when neither the run's config nor the guest's memory may be known yet.
 */
export class UnloadedKernelError extends Error {}

/**
 * The one guard around every call: memory views refreshed (the guest may have grown its memory),
 * and a failure thrown as an errno returned as the call's result. Anything else (proc_exit, a
 * host bug) goes on up and ends the run.
 */
function guard(kernel: Kernel, ctx: Context, call: Syscall): Syscall {
  const mem = ctx.mem;
  return (a, b, c, d, e, f, g, h, i) => {
    if (!kernel.started) throw new UnloadedKernelError('the program made a system call while it was being instantiated (from a start function), before its memory was available');
    mem.refresh();
    try {
      const result = call(a, b, c, d, e, f, g, h, i);
      ctx.attempt = null;
      return result;
    } catch (err) {
      if (err instanceof Suspend) throw err; // the same call is made again: its attempt goes on
      ctx.attempt = null;
      if (typeof err === 'number') return err;
      throw err;
    }
  };
}

export interface KernelOptions {
  /** The guest waits by suspending (JSPI): the calls that may block are Suspending imports, and the guest is started with startSuspending(). */
  suspending?: boolean;
}

/** proc_exit's code, from what ended _start; anything else is a trap, thrown on. */
function exitCode(e: unknown): number {
  if (e instanceof Exit) return e.code;
  throw e;
}

/**
 * One VM's kernel. Made in two steps so that a worker can make a kernel and instantiate the
 * module against it while idle (the imports exist from the start), then load the run's config
 * when the run comes: `new Kernel()`, `new WebAssembly.Instance(module, kernel.imports)`,
 * `kernel.load(config)`, `kernel.start(instance)`. A kernel is loaded and started once.
 */
export class Kernel {
  readonly imports: WebAssembly.Imports;
  loaded = false;
  started = false;
  // Filled by load(); the syscalls read it per call.
  private ctx = { mem: new GuestMemory() } as Context;
  private channels: Channel[] = [];

  readonly suspending: boolean;

  constructor(config?: KernelConfig, options: KernelOptions = {}) {
    this.suspending = options.suspending ?? false;
    // Merged by a loop, not object spread: spreading objects of closures is ~20× slower in V8,
    // and this runs once per VM.
    const wasi: Record<string, Syscall | WebAssembly.Suspending> = {};
    const areas = [
      argsEnvCalls(this.ctx), clockRandomCalls(this.ctx), fdIoCalls(this.ctx), fdMetaCalls(this.ctx),
      pathCalls(this.ctx), pollCalls(this.ctx), procCalls(), sockCalls(this.ctx),
    ];
    for (const area of areas) for (const name in area) wasi[name] = guard(this, this.ctx, area[name]);
    if (this.suspending) for (const name of MAY_BLOCK) wasi[name] = suspendable(wasi[name] as Syscall);
    this.imports = { wasi_snapshot_preview1: wasi as WebAssembly.ModuleImports };
    if (config) this.load(config);
  }

  /** Gives the kernel what the VM may see: its files, channels, args, env, clock and randomness. */
  load(config: KernelConfig): void {
    if (this.loaded) throw new Error('a kernel is loaded once');
    const devices = config.devices;
    if (devices.slice(0, 3).map((d) => d.path).join() !== '/dev/stdin,/dev/stdout,/dev/stderr') {
      throw new KernelConfigError('the first three channels must be /dev/stdin, /dev/stdout and /dev/stderr');
    }
    const stats = config.stats ?? new Float64Array(devices.length * STAT_FIELDS);
    const inputs = config.inputs;
    if (devices.some((d) => d.live) && !inputs) throw new KernelConfigError('live channels need an input log');
    this.channels = devices.map(({ path, backing, live, rules }, index) => new Channel({
      path,
      backing,
      quotas: quotasOf(rules?.limits),
      makeHasher: rules?.etag === false ? null : (config.hasher ?? null),
      stats: stats.subarray(index * STAT_FIELDS, (index + 1) * STAT_FIELDS),
      inputs: live && inputs ? { log: inputs, index } : undefined,
    }));

    const now = () => config.clock.now(0);
    if (!(config.loader && config.waiter) && config.fs.entries.some((e) => e.type === 'file' && !('data' in e))) {
      throw new KernelConfigError('volume files whose bytes come when first opened need a loader and a way to wait');
    }
    const fs = new Filesystem(
      config.fs,
      { ...Object.fromEntries(this.channels.map((c) => [c.path, c])), '/dev/null': nullDevice },
      now,
      new FileBudget(config.limits.fileBytes ?? Infinity),
      config.loader ?? null,
    );
    const preopens = config.fs.preopens;
    if (config.limits.fds < 3 + preopens.length) {
      throw new KernelConfigError(`limits.fds (${config.limits.fds}) leaves no room for stdio and ${preopens.length} preopened directories`);
    }
    const fds = new DescriptorTable(config.limits.fds);
    for (const path of ['/dev/stdin', '/dev/stdout', '/dev/stderr']) {
      const node = fs.device(path);
      fds.add(new Descriptor(node, rightsFor(node), 0, 0));
    }
    for (const path of preopens) fds.add(new Descriptor(fs.directory(path), RIGHTS_DIR, RIGHTS_ALL, 0, path));

    const ctx = this.ctx;
    ctx.fds = fds;
    ctx.fs = fs;
    ctx.clock = config.clock;
    ctx.random = config.random;
    ctx.waiter = config.waiter ?? noWaiting;
    ctx.inputs = inputs ?? null;
    ctx.attempt = null;
    ctx.args = encodeStrings(config.args);
    ctx.env = encodeStrings(Object.entries(config.env).map(([k, v]) => `${k}=${v}`));
    this.loaded = true;
  }

  /** Runs the guest's _start; returns its exit code (0 when _start returns). Traps are thrown. */
  start(instance: WebAssembly.Instance): number {
    if (this.suspending) throw new Error('a suspending kernel is started with startSuspending()');
    const start = this.begin(instance);
    try {
      start();
      return 0;
    } catch (e) {
      return exitCode(e);
    }
  }

  /** start(), for a guest that may suspend (JSPI): resolves with its exit code; traps reject. */
  async startSuspending(instance: WebAssembly.Instance): Promise<number> {
    if (!this.suspending) throw new Error('a kernel made without { suspending: true } is started with start()');
    const start = WebAssembly.promising(this.begin(instance));
    try {
      await start();
      return 0;
    } catch (e) {
      return exitCode(e);
    }
  }

  /**
   * Calls a plugin's export `name` (no arguments, an i32 result); before the first call of an
   * instance, its `_initialize` (a reactor's constructors), as Extism does. Returns the result, or
   * proc_exit's code; traps are thrown. A kernel may be called again (a plugin that keeps state).
   */
  call(instance: WebAssembly.Instance, name: string): number {
    if (this.suspending) throw new Error('a suspending kernel is called with callSuspending()');
    const [init, fn] = this.plugin(instance, name);
    try {
      init?.();
      return Number(fn() ?? 0);
    } catch (e) {
      return exitCode(e);
    }
  }

  /** call(), for a plugin that may suspend (JSPI). */
  async callSuspending(instance: WebAssembly.Instance, name: string): Promise<number> {
    if (!this.suspending) throw new Error('a kernel made without { suspending: true } is called with call()');
    const [init, fn] = this.plugin(instance, name);
    try {
      if (init) await WebAssembly.promising(init)();
      return Number((await WebAssembly.promising(fn)()) ?? 0);
    } catch (e) {
      return exitCode(e);
    }
  }

  private initialized = false;

  private plugin(instance: WebAssembly.Instance, name: string): [(() => unknown) | null, () => unknown] {
    const fn = instance.exports[name];
    if (typeof fn !== 'function' || name === '_initialize') throw new KernelConfigError(`the plugin exports no function named ${JSON.stringify(name)}`);
    if (!this.started) this.begin(instance);
    const init = !this.initialized && typeof instance.exports._initialize === 'function' ? (instance.exports._initialize as () => unknown) : null;
    this.initialized = true;
    return [init, fn as () => unknown];
  }

  private begin(instance: WebAssembly.Instance): () => void {
    if (!this.loaded) throw new Error('a kernel must be loaded before it starts');
    this.ctx.mem.bind(instance.exports.memory as WebAssembly.Memory);
    this.started = true;
    return instance.exports._start as () => void;
  }

  /** What the subtree at `path` holds now: a volume's state, for its commit. */
  collect(path: string): VolumeEntry[] {
    return this.ctx.fs.collect(path);
  }

  /** The channels' accounting, stdin, stdout, stderr in that order. */
  channelReports(): ChannelReport[] {
    return this.channels.map((c) => c.report());
  }
}
