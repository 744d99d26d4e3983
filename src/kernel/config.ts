// What the kernel is built from: everything a VM may see, decided before the guest starts.
import type { FsImage } from '../contract/fs-image.js';

/** Where a guest's output goes as it is written (the worker streams it to the page). */
export type OutputSink = (chunk: Uint8Array) => void;

export interface Clock {
  /** Current time in ns for a WASI clock id (0 realtime, 1 monotonic, 2 process cpu, 3 thread cpu). */
  now(id: number): bigint;
  /** Resolution in ns for a clock id. */
  resolution(id: number): bigint;
  /** Let `ns` pass (poll_oneoff sleeps). A virtual clock just advances; a real one waits. */
  sleep(ns: bigint): void;
}

export interface KernelConfig {
  args: string[];
  env: Record<string, string>;
  fs: FsImage;
  stdin: Uint8Array;
  stdout: OutputSink;
  stderr: OutputSink;
  limits: {
    /** Most descriptors open at once (EMFILE past it). */
    fds: number;
  };
  clock: Clock;
  /** Fill `buf` with random bytes. */
  random(buf: Uint8Array): void;
}
