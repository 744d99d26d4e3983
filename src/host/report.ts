// Putting a Report together from what the host saw and what the worker said.
import type { Report, RunStatus, Timings } from '../contract/report.js';
import type { VmResult } from '../contract/protocol.js';
import type { OutputCapture } from './capture.js';

const noTimings = (): Timings => ({ compileMs: 0, instantiateMs: 0, runMs: 0 });

/** A run refused before it started: bad manifest, program that cannot be fetched or compiled. */
export function invalidReport(message: string): Report {
  return {
    status: 'invalid',
    exitCode: null,
    message,
    stdout: '',
    stderr: '',
    channels: [],
    timings: noTimings(),
    memoryPeakBytes: 0,
  };
}

/** A run the worker finished. */
export function finishedReport(result: VmResult, output: OutputCapture, compileMs: number): Report {
  return {
    status: result.status,
    exitCode: result.exitCode,
    message: result.message,
    stdout: output.text(1),
    stderr: output.text(2),
    channels: result.channels,
    ...(result.etag === undefined ? {} : { etag: result.etag }),
    timings: { compileMs, instantiateMs: result.instantiateMs, runMs: result.runMs },
    memoryPeakBytes: result.memoryPeakBytes,
  };
}

/** A run the host ended (kill, timeout): what it streamed before the end is all there is. */
export function stoppedReport(
  status: Extract<RunStatus, 'killed' | 'timeout'>,
  message: string,
  output: OutputCapture,
  compileMs: number,
  runMs: number,
): Report {
  return {
    ...invalidReport(message),
    status,
    stdout: output.text(1),
    stderr: output.text(2),
    timings: { compileMs, instantiateMs: 0, runMs },
  };
}
