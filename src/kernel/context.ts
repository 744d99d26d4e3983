// What every WASI area works on: one VM's memory, descriptors, filesystem, clock and randomness.
import type { Attempt, Waiter } from './blocking.js';
import type { Clock } from './config.js';
import type { InputLog } from './inputs.js';
import type { DescriptorTable } from './descriptors.js';
import type { Filesystem } from './fs/filesystem.js';
import type { GuestMemory } from './memory.js';

export interface Context {
  mem: GuestMemory;
  fds: DescriptorTable;
  fs: Filesystem;
  clock: Clock;
  random(buf: Uint8Array): void;
  /** argv and environ ("NAME=value"), UTF-8 with their NULs. */
  args: Uint8Array[];
  env: Uint8Array[];
  /** How a call waits for a live channel or a real sleep. */
  waiter: Waiter;
  /** Timing-dependent answers, recorded or replayed; null when no channel is live. */
  inputs: InputLog | null;
  /** The blocking call in progress: what it keeps across its attempts (see blocking.ts). */
  attempt: Attempt | null;
}

/** A WASI function as the guest calls it: numbers in (i64s as BigInts), an errno out. */
export type Syscall = (...args: any[]) => number;

export type Syscalls = Record<string, Syscall>;
