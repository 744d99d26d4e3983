// Putting a Report together from what the host saw and what the worker said.
import { STAT_FIELDS, statsReport } from '../contract/link.js';
import type { VmResult } from '../contract/protocol.js';
import type { ChannelReport, Report, RunStatus, Timings } from '../contract/report.js';
import { type OutputCapture, STDERR, STDOUT } from './capture.js';

const noTimings = (): Timings => ({ compileMs: 0, instantiateMs: 0, runMs: 0 });

/** The channels of a run, by index. */
export const STDIO_PATHS = ['/dev/stdin', '/dev/stdout', '/dev/stderr'];

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

/** Marks the channels that carried more than the report keeps (`limit` bytes each). */
function withTruncation(channels: ChannelReport[], limit: number): ChannelReport[] {
  for (const channel of channels) channel.truncated = channel.writeBytes > limit;
  return channels;
}

/** A run the worker finished. */
export function finishedReport(result: VmResult, output: OutputCapture, compileMs: number, keep: number): Report {
  return {
    status: result.status,
    exitCode: result.exitCode,
    message: result.message,
    stdout: output.text(STDOUT),
    stderr: output.text(STDERR),
    channels: withTruncation(result.channels, keep),
    ...(result.etag === undefined ? {} : { etag: result.etag }),
    timings: { compileMs, instantiateMs: result.instantiateMs, runMs: result.runMs },
    memoryPeakBytes: result.memoryPeakBytes,
  };
}

/** What the host knows of a run it ended (kill, timeout): the output it took in and the stats, no etags. */
export interface StoppedRun {
  output: OutputCapture;
  /** The channels' stats as last seen, or null when the run never reached a worker. */
  stats: Float64Array | null;
  compileMs: number;
  runMs: number;
  keep: number;
}

/** A run the host ended: what the guest had written and done by then is all there is. */
export function stoppedReport(status: Extract<RunStatus, 'killed' | 'timeout'>, message: string, run: StoppedRun): Report {
  const { stats } = run;
  const channels = stats ? STDIO_PATHS.map((path, i) => statsReport(path, stats, i * STAT_FIELDS)) : [];
  return {
    ...invalidReport(message),
    status,
    stdout: run.output.text(STDOUT),
    stderr: run.output.text(STDERR),
    channels: withTruncation(channels, run.keep),
    timings: { compileMs: run.compileMs, instantiateMs: 0, runMs: run.runMs },
  };
}
