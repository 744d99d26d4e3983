// What the kernel is built from: everything a VM may see, decided before the guest starts.
import type { FsImage } from '../contract/fs-image.js';
import type { ChannelSpec } from '../contract/manifest.js';

/** Where a guest's output goes as it is written: `len` bytes of `src` from `at`, to be copied now. */
export type OutputSink = (src: Uint8Array, at: number, len: number) => void;

export interface Clock {
  /** Current time in ns for a WASI clock id (0 realtime, 1 monotonic, 2 process cpu, 3 thread cpu). */
  now(id: number): bigint;
  /** Resolution in ns for a clock id. */
  resolution(id: number): bigint;
  /** Let `ns` pass (poll_oneoff sleeps). A virtual clock just advances; a real one waits. */
  sleep(ns: bigint): void;
}

/** A streaming hash for etags: synchronous, fed in order. */
export interface Hasher {
  update(bytes: Uint8Array): void;
  /** The hash of everything fed so far, as hex. */
  digest(): string;
}

export interface KernelConfig {
  args: string[];
  env: Record<string, string>;
  fs: FsImage;
  stdin: Uint8Array;
  stdout: OutputSink;
  stderr: OutputSink;
  /**
   * Called after each write call on stdout or stderr, once its bytes (one sink call per iovec) are
   * all given: a sink that batches decides here whether to send.
   */
  written?(): void;
  /** Quotas and etag switches of the declared channels; undeclared channels have neither quota nor switch. */
  channels?: ChannelSpec[];
  /**
   * Where the channels keep their stats, STAT_FIELDS numbers each in channel order (stdin, stdout,
   * stderr): the worker passes memory the host can read even after it ends the VM. Own memory when absent.
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
}
