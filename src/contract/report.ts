// The Report: how every run ends, whatever happened.

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
}

export interface Timings {
  compileMs: number;
  instantiateMs: number;
  runMs: number;
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
  etag?: string;
  timings: Timings;
  memoryPeakBytes: number;
}
