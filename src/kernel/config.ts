// What the kernel is built from: everything a VM may see, decided before the guest starts.
import type { FsImage } from '../contract/fs-image.js';
import type { ChannelRules } from '../contract/manifest.js';
import type { Waiter, WOULD_BLOCK } from './blocking.js';
import type { Backing } from './channel.js';
import type { InputLog } from './inputs.js';

/** Where a guest's output goes as it is written: `len` bytes of `src` from `at`, to be copied now. */
export type OutputSink = (src: Uint8Array, at: number, len: number) => void;

export interface Clock {
  /** Virtual time (determinism): sleeping just moves it on. False: the host's clocks. */
  readonly virtual: boolean;
  /** Current time in ns for a WASI clock id (0 realtime, 1 monotonic, 2 process cpu, 3 thread cpu). */
  now(id: number): bigint;
  /** Resolution in ns for a clock id. */
  resolution(id: number): bigint;
  /** Let `ns` pass (a virtual clock moves on; a real one waits where it can, on Atomics.wait). */
  sleep(ns: bigint): void;
}

/** A streaming hash for etags: synchronous, fed in order. */
export interface Hasher {
  update(bytes: Uint8Array): void;
  /** The hash of everything fed so far, as hex. */
  digest(): string;
}

/** A channel the kernel makes a device of, at its path. */
export interface KernelChannel {
  path: string;
  backing: Backing;
  /** Its answers depend on timing (a live input, a call channel): reads are recorded in `inputs`, or replayed from it. */
  live?: boolean;
  /** A declared channel's quotas and etag switch; an undeclared one has neither quota nor switch. */
  rules?: ChannelRules;
}

/**
 * Where a volume file's bytes come from when the guest first opens it (the host keeps them until
 * then): the file's bytes, or WOULD_BLOCK having asked for them (asked once; later calls look
 * again). A failure to get them is thrown as EIO.
 */
export interface FileLoader {
  load(volume: number, origin: number, size: number): Uint8Array | typeof WOULD_BLOCK;
}

export interface KernelConfig {
  args: string[];
  env: Record<string, string>;
  fs: FsImage;
  /** Every channel, in the order of the run's channel table: /dev/stdin, /dev/stdout, /dev/stderr first. */
  devices: KernelChannel[];
  /**
   * Where the channels keep their stats, STAT_FIELDS numbers each in device order: the worker
   * passes memory the host can read even after it ends the VM. Own memory when absent.
   */
  stats?: Float64Array;
  /** Makes the etag hashers; without it there are no etags. */
  hasher?: () => Hasher;
  limits: {
    /** Most descriptors open at once (EMFILE past it). */
    fds: number;
    /** Most bytes all files together may hold (ENOSPC past it); no limit when absent. */
    fileBytes?: number;
  };
  clock: Clock;
  /** Fill `buf` with random bytes. */
  random(buf: Uint8Array): void;
  /** How a call waits for a live channel or a real sleep; where absent, nothing can wait. */
  waiter?: Waiter;
  /** Where timing-dependent answers are recorded (a live run), or replayed from. */
  inputs?: InputLog;
  /** Where the bytes of volume files not yet loaded come from (needs a waiter). */
  loader?: FileLoader;
}
