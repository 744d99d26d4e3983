// proc_exit, proc_raise, sched_yield: how a guest ends, or steps aside.
import { Errno, IGNORED_SIGNALS, SIGNAL_COUNT } from '../abi.js';
import type { Syscalls } from '../context.js';
import { Exit, fail, GuestAbort } from '../errors.js';

const SIGNAL_NAMES = [
  'NONE', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM',
  'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS',
];

export function procCalls(): Syscalls {
  return {
    proc_exit(code: number): never {
      throw new Exit(code >>> 0);
    },
    proc_raise(signal: number) {
      if (signal >>> 0 >= SIGNAL_COUNT) fail(Errno.INVAL);
      if (IGNORED_SIGNALS.has(signal)) return 0;
      // No handlers exist in a VM: a signal whose default is to end the process ends it.
      throw new GuestAbort(`the program raised SIG${SIGNAL_NAMES[signal]}`);
    },
    sched_yield: () => 0, // one thread, nothing to yield to
  };
}
