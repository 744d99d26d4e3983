// One VM's kernel: wasi_snapshot_preview1 over an in-memory filesystem and the VM's channels.
// Built fresh for every run; nothing survives it.
import { STAT_FIELDS } from '../contract/link.js';
import type { ChannelReport } from '../contract/report.js';
import { RIGHTS_ALL, RIGHTS_DIR } from './abi.js';
import { type Backing, Channel, inlineSource, nullDevice, quotasOf } from './channel.js';
import type { KernelConfig, OutputSink } from './config.js';
import type { Context, Syscall, Syscalls } from './context.js';
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
function guard(kernel: Kernel, mem: GuestMemory, call: Syscall): Syscall {
  return (a, b, c, d, e, f, g, h, i) => {
    if (!kernel.started) throw new UnloadedKernelError('the program made a system call while it was being instantiated (from a start function), before its memory was available');
    mem.refresh();
    try {
      return call(a, b, c, d, e, f, g, h, i);
    } catch (err) {
      if (typeof err === 'number') return err;
      throw err;
    }
  };
}

function outputBacking(sink: OutputSink, written: (() => void) | undefined): Backing {
  return { write: sink, written };
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

  constructor(config?: KernelConfig) {
    // Merged by a loop, not object spread: spreading objects of closures is ~20× slower in V8,
    // and this runs once per VM.
    const wasi: Syscalls = {};
    const areas = [
      argsEnvCalls(this.ctx), clockRandomCalls(this.ctx), fdIoCalls(this.ctx), fdMetaCalls(this.ctx),
      pathCalls(this.ctx), pollCalls(this.ctx), procCalls(), sockCalls(this.ctx),
    ];
    for (const area of areas) for (const name in area) wasi[name] = guard(this, this.ctx.mem, area[name]);
    this.imports = { wasi_snapshot_preview1: wasi };
    if (config) this.load(config);
  }

  /** Gives the kernel what the VM may see: its files, channels, args, env, clock and randomness. */
  load(config: KernelConfig): void {
    if (this.loaded) throw new Error('a kernel is loaded once');
    const stats = config.stats ?? new Float64Array(3 * STAT_FIELDS);
    const channel = (path: string, backing: Backing) => {
      const spec = config.channels?.find((c) => c.path === path);
      const at = this.channels.length * STAT_FIELDS;
      return new Channel(path, backing, quotasOf(spec?.limits), spec?.etag === false ? null : (config.hasher ?? null), stats.subarray(at, at + STAT_FIELDS));
    };
    this.channels = [];
    this.channels.push(channel('/dev/stdin', inlineSource(config.stdin)));
    this.channels.push(channel('/dev/stdout', outputBacking(config.stdout, config.written)));
    this.channels.push(channel('/dev/stderr', outputBacking(config.stderr, config.written)));

    const now = () => config.clock.now(0);
    const fs = new Filesystem(
      config.fs,
      { ...Object.fromEntries(this.channels.map((c) => [c.path, c])), '/dev/null': nullDevice },
      now,
      new FileBudget(config.limits.fileBytes ?? Infinity),
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
    ctx.args = encodeStrings(config.args);
    ctx.env = encodeStrings(Object.entries(config.env).map(([k, v]) => `${k}=${v}`));
    this.loaded = true;
  }

  /** Runs the guest's _start; returns its exit code (0 when _start returns). Traps are thrown. */
  start(instance: WebAssembly.Instance): number {
    if (!this.loaded) throw new Error('a kernel must be loaded before it starts');
    this.ctx.mem.bind(instance.exports.memory as WebAssembly.Memory);
    this.started = true;
    try {
      (instance.exports._start as () => void)();
      return 0;
    } catch (e) {
      if (e instanceof Exit) return e.code;
      throw e;
    }
  }

  /** The channels' accounting, stdin, stdout, stderr in that order. */
  channelReports(): ChannelReport[] {
    return this.channels.map((c) => c.report());
  }
}
