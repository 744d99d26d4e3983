// Waiting, for the calls that may wait: a read of a channel whose bytes have not arrived, a write
// to a live sink that is full, a poll, the first open of a volume file whose bytes are still with
// the host. One implementation serves both ways a guest can wait:
//
// - sync (SharedArrayBuffer): the Waiter blocks the worker's thread (Atomics.wait) and returns;
//   the call looks again.
// - async (JSPI): the Waiter throws Suspend; the call's import, a WebAssembly.Suspending function,
//   returns its promise, the guest is suspended while the worker's event loop takes input in, and
//   the call is made again from the start.
//
// So a call that may wait must do nothing visible before it waits: it looks, and either answers
// or waits and looks again (as Wasmtime's preview1 does, with its one list of calls that block).

/**
 * The calls that may wait: in async mode, only these imports are made Suspending. path_open waits
 * for a volume file's bytes the first time it is opened (they stay with the host until then).
 */
export const MAY_BLOCK = ['fd_read', 'fd_write', 'poll_oneoff', 'path_open'] as const;

/** A backing's answer: nothing now, but more may come (not the end). */
export const WOULD_BLOCK = -1;

/** Thrown (async mode) to suspend the guest until `until` settles; the call is then made again. */
export class Suspend {
  constructor(readonly until: Promise<unknown>) {}
}

export interface Waiter {
  /** Whether this waiter can wait at all (false: no way to block here; a real sleep returns at once). */
  readonly canWait: boolean;
  /** A mark taken before looking: wait() returns at once if anything came since. */
  mark(): number;
  /**
   * Waits until something comes (input, credit, a reply) after `mark`, or until `deadline`
   * (performance.now() time; Infinity for none). Sync: blocks, then returns. Async: throws Suspend.
   */
  wait(mark: number, deadline: number): void;
  /**
   * Async mode: input may be waiting in the event loop, unseen while the guest runs. A poll that
   * would answer "nothing came" yields once first (a wait() whose deadline has passed suspends
   * until the event loop has run).
   */
  readonly stale: boolean;
}

/** Where no channel can wait (all fixed): a wait is a bug, said plainly. */
export const noWaiting: Waiter = {
  canWait: false,
  mark: () => 0,
  wait() {
    throw new Error('a channel would wait, but this VM has no way to wait (no live channel was declared)');
  },
  stale: false,
};

/**
 * What a blocking call keeps across its attempts (async mode makes it again from the start):
 * when it started and its deadline, so that a relative timeout is not restarted by a retry.
 */
export interface Attempt {
  started?: number;
  deadline?: number;
  /** A poll that yielded once to take input in. */
  yielded?: boolean;
}

/**
 * A call that may wait, for a guest that waits by suspending (JSPI): it answers at once when it
 * can (no promise, no suspension), and otherwise returns a promise of the answer it gives when
 * made again after what it waits for has come.
 */
export function suspendable<T>(call: (...args: any[]) => T): WebAssembly.Suspending {
  const attempt = (args: unknown[]): T | Promise<T> => {
    try {
      return call(...args);
    } catch (err) {
      if (err instanceof Suspend) return err.until.then(() => attempt(args));
      throw err;
    }
  };
  return new WebAssembly.Suspending((...args: unknown[]) => attempt(args));
}
