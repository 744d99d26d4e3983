// How a syscall fails, and how a guest ends. A failing call throws its errno as a plain number
// (no Error object, so no stack is captured on the guest's error paths); the one guard in
// kernel.ts turns it into the call's return value.
import type { Errno } from './abi.js';

export function fail(errno: Errno): never {
  throw errno;
}

/** Thrown by proc_exit: unwinds the guest's stack and ends the run with `code`. */
export class Exit {
  constructor(readonly code: number) {}
}

/** Thrown when the guest ends abnormally by its own request (proc_raise): the run ends as a trap. */
export class GuestAbort extends Error {
  override name = 'GuestAbort';
}
