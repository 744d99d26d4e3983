// How a run (or a replay) meets the process: its output passed through, Ctrl-C and TERM ending
// the VM rather than zerovm, and the exit code a shell expects.
import type { Report } from '../contract/report.js';
import type { RunOptions } from '../host/vm-host.js';

/** Process exit codes for runs that did not end with the guest's own code. */
const EXIT_FOR: Record<Exclude<Report['status'], 'ok'>, number> = { timeout: 124, trap: 134, invalid: 126, killed: 137 };

export interface Ended {
  report: Report;
  /** The signal's number when Ctrl-C (2) or TERM (15) ended the run; 0 otherwise. */
  signalled: number;
}

/**
 * Starts the run with every output byte passed through (limits.output caps only the report) and
 * with Ctrl-C (or a TERM) ending the VM, not zerovm, so that its report is still written.
 */
export async function passThrough(start: (options: RunOptions) => Promise<Report>): Promise<Ended> {
  const interrupt = new AbortController();
  let signalled = 0;
  const onSignal = (name: NodeJS.Signals, number: number) => () => {
    signalled = number;
    interrupt.abort(`interrupted by ${name}`);
  };
  const handlers = [['SIGINT', onSignal('SIGINT', 2)], ['SIGTERM', onSignal('SIGTERM', 15)]] as const;
  for (const [name, handler] of handlers) process.once(name, handler);
  try {
    const report = await start({
      passthrough: true,
      signal: interrupt.signal,
      onStdout: (chunk) => void process.stdout.write(chunk),
      onStderr: (chunk) => void process.stderr.write(chunk),
    });
    return { report, signalled };
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}

/**
 * Says on stderr how the run ended when the guest did not end it; the exit code: the guest's, or
 * 128 + the signal's number, as a shell expects.
 */
export function exitCode({ report, signalled }: Ended): number {
  if (report.status === 'ok') return report.exitCode ?? 0;
  process.stderr.write(`zerovm: ${report.status}: ${report.message}\n`);
  return report.status === 'killed' && signalled ? 128 + signalled : EXIT_FOR[report.status];
}
