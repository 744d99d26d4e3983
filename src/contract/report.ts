// The Report: how every run ends, whatever happened.
import type { PluginLog } from './plugin.js';

export type RunStatus = 'ok' | 'trap' | 'timeout' | 'killed' | 'invalid';

export interface ChannelStats {
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
  quotaHit: boolean;
}

export interface ChannelReport extends ChannelStats {
  path: string;
  etag?: string;
  /**
   * More bytes went through this channel than the report keeps (limits.output): `stdout` or
   * `stderr` holds only the first limits.output bytes, and the page's listeners saw no more either
   * (except with RunOptions.passthrough). Always false for input channels.
   */
  truncated: boolean;
  /** What went wrong at the page's end of a live channel (its stream, sink or page function failed). */
  error?: string;
}

/**
 * One answer of a run that depended on timing, as the report keeps it: the bytes a read of a live
 * channel returned (base64; "" at the end), a non-blocking read that found nothing, or what a
 * poll found ready (by subscription index) and the virtual time it took.
 */
export type RecordedInput =
  | { read: string; data: string }
  | { read: string; again: true }
  | { poll: { index: number; nbytes: number; flags: number }[]; ns: number };

/** A run's live input, recorded so that replay() can run it again exactly, with no live ends. */
export interface InputsRecord {
  events: RecordedInput[];
  /** False when more was read than limits.output: only the first part is kept, and the run cannot be replayed. */
  complete: boolean;
  /** Hashes every answer, kept or not: equal etags, equal input. */
  etag?: string;
}

export interface Timings {
  /**
   * How long this run waited for its program's compile once the bytes were in and hashed (0 for a module
   * compiled earlier on the page). A program fetched by URL compiles as it downloads: this is what
   * was left of the compile after its last byte, not the whole of it.
   */
  compileMs: number;
  /**
   * Where the program's module came from: `compiled` from its bytes for this run, compiled earlier
   * on this `page`, or from the bytes the `browser` kept from an earlier page load (checked then:
   * compiled again without the policy scan). Absent when the run never got that far.
   */
  moduleFrom?: 'compiled' | 'page' | 'browser';
  instantiateMs: number;
  runMs: number;
}

/** What became of a mounted volume's changes. */
export interface VolumeReport {
  /** `committed` (landed, or nothing changed), `rolled-back` (not kept: the commit rule, a trap, a kill, storage that refused), `conflict` (another commit moved the volume first), `read-only`. */
  outcome: 'committed' | 'rolled-back' | 'conflict' | 'read-only';
  versionBefore: number;
  versionAfter: number;
  /** The volume's contents' hash before and after: equal contents, equal etags. */
  etagBefore: string;
  etagAfter: string;
  /** Paths added, removed or changed. */
  filesChanged: number;
  /** Bytes of new chunks the commit stored. */
  bytesWritten: number;
  /**
   * Bytes of the volume's files the run brought into its VM: the small files sent with it, and
   * each other file the guest opened (a file's bytes stay with the host until it is first opened).
   */
  bytesLoaded?: number;
  /** Why it was rolled back or conflicted. */
  message?: string;
  /** Runs made again on a newer snapshot after conflicts (manifest mounts[].retry). */
  retries?: number;
}

export interface Report {
  status: RunStatus;
  /** The guest's exit code when it exited (status `ok`); null otherwise. */
  exitCode: number | null;
  /** Why the run ended the way it did: the trap's reason, the field at fault, ... Empty when ok. */
  message: string;
  /** Captured output, UTF-8 decoded, up to `limits.output` bytes each. */
  stdout: string;
  stderr: string;
  channels: ChannelReport[];
  /** Captured output of named output channels (`/dev/out/NAME` with sink `capture`), UTF-8, up to limits.output each. */
  outputs?: Record<string, string>;
  /** Per mounted volume (by name): what became of its changes. */
  volumes?: Record<string, VolumeReport>;
  /** The run's live input, for replay (runs with a live input or call channel that ended in the worker). */
  inputs?: InputsRecord;
  etag?: string;
  timings: Timings;
  memoryPeakBytes: number;
  /** A plugin call's own account (Plugin.call): what it returned, its output's size, its error and logs. */
  plugin?: PluginReport;
}

/** What a plugin call did, beside what every run reports. */
export interface PluginReport {
  function: string;
  /** What the function returned (0: success), or null when it did not return (a trap, a kill, a timeout). */
  returned: number | null;
  outputBytes: number;
  /** The plugin's error_set message, when it set one. */
  error?: string;
  /** Its log_* lines in order (up to limits.output bytes of them). */
  logs: PluginLog[];
}
