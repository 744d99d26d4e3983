// Putting a Report together from what the host saw and what the worker said.
import { toBase64 } from '../contract/base64.js';
import type { ChannelEntry } from '../contract/channels.js';
import { STAT_FIELDS, statsReport } from '../contract/link.js';
import type { VmInputs, VmResult } from '../contract/protocol.js';
import type { ChannelReport, InputsRecord, Report, RunStatus, Timings } from '../contract/report.js';
import { STDERR, STDOUT } from '../contract/channels.js';
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

/** What the host knows of a run beside the worker's result: the channel table, its output, its page ends. */
export interface HostSide {
  table: ChannelEntry[];
  output: OutputCapture;
  /** What failed at the page's end of a channel, by channel index. */
  errors: Map<number, string>;
  compileMs: number;
  moduleFrom?: Timings['moduleFrom'];
  /** Bytes each capture channel keeps (limits.output). */
  keep: number;
}

/** The channels as reported: marked `truncated` where more went through than the report keeps, with their page end's error. */
function finishChannels(channels: ChannelReport[], host: HostSide): ChannelReport[] {
  channels.forEach((channel, i) => {
    const entry = host.table[i];
    channel.truncated = entry?.kind === 'output' && entry.sink === 'capture' && channel.writeBytes > host.keep;
    const error = host.errors.get(i);
    if (error) channel.error = `${channel.path}: ${error}`;
  });
  return channels;
}

/** Captured output of the named capture channels, by path. */
function outputsOf(host: HostSide): Record<string, string> | undefined {
  const named = host.table.flatMap((c, i) => (i > STDERR && c.kind === 'output' && c.sink === 'capture' ? [[c.path, host.output.text(i)] as const] : []));
  return named.length > 0 ? Object.fromEntries(named) : undefined;
}

/** The worker's record of live input as the report keeps it: channels by path, bytes in base64. */
function inputsRecord(inputs: VmInputs, table: ChannelEntry[]): InputsRecord {
  return {
    events: inputs.events.map((e) => {
      switch (e.kind) {
        case 'read':
          return { read: table[e.channel].path, data: toBase64(e.bytes) };
        case 'again':
          return { read: table[e.channel].path, again: true as const };
        case 'poll':
          return { poll: e.fired, ns: e.advancedNs };
      }
    }),
    complete: inputs.complete,
    ...(inputs.etag ? { etag: inputs.etag } : {}),
  };
}

/** A run the worker finished. */
export function finishedReport(result: VmResult, host: HostSide): Report {
  const outputs = outputsOf(host);
  // A host call that failed on the page (a plugin's host function threw): the page's reason is the run's.
  const hidden = [...host.errors].find(([i]) => host.table[i]?.hidden);
  return {
    status: result.status,
    exitCode: result.exitCode,
    message: hidden && result.status === 'trap' ? `${host.table[hidden[0]].path}: ${hidden[1]}` : result.message,
    stdout: host.output.text(STDOUT),
    stderr: host.output.text(STDERR),
    channels: finishChannels(result.channels, host),
    ...(outputs ? { outputs } : {}),
    ...(result.inputs ? { inputs: inputsRecord(result.inputs, host.table) } : {}),
    ...(result.etag === undefined ? {} : { etag: result.etag }),
    timings: { compileMs: host.compileMs, ...(host.moduleFrom ? { moduleFrom: host.moduleFrom } : {}), instantiateMs: result.instantiateMs, runMs: result.runMs },
    memoryPeakBytes: result.memoryPeakBytes,
  };
}

/**
 * A run the host ended (kill, signal, timeout): what the guest had written and done by then is all
 * there is — no etags (its I/O did not end), no input record (it stayed in the ended worker).
 * `stats` is null when the run never reached a worker.
 */
export function stoppedReport(status: Extract<RunStatus, 'killed' | 'timeout'>, message: string, host: HostSide, stats: Float64Array | null, runMs: number): Report {
  const channels = stats ? host.table.flatMap((c, i) => (c.hidden ? [] : [statsReport(c.path, stats, i * STAT_FIELDS)])) : [];
  const outputs = stats ? outputsOf(host) : undefined;
  return {
    ...invalidReport(message),
    status,
    stdout: host.output.text(STDOUT),
    stderr: host.output.text(STDERR),
    channels: finishChannels(channels, host),
    ...(outputs ? { outputs } : {}),
    timings: { compileMs: host.compileMs, ...(host.moduleFrom ? { moduleFrom: host.moduleFrom } : {}), instantiateMs: 0, runMs },
  };
}
