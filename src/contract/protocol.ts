// The worker protocol: what the page (or the CLI) and a VM worker say to each other. Control goes
// over Comlink; output and the channels' stats go over the link (see link.ts).
import type { ChannelKind } from './channels.js';
import type { FsImage, VolumeEntry } from './fs-image.js';
import type { InputEvent } from './inputs.js';
import type { LinkRecord } from './link.js';
import type { ChannelSink, ChannelSpec } from './manifest.js';
import type { VmPluginCall, VmPluginOutcome } from './plugin.js';
import type { ChannelReport, RunStatus } from './report.js';

/**
 * How the guest may wait: `plain`, never (every channel is fixed); `sync`, on Atomics.wait (a
 * shared link); `async`, by suspending (JSPI, a message link).
 */
export type VmMode = 'plain' | 'sync' | 'async';

/** A channel of the run, as the worker makes it (the channel table's order). */
export interface VmChannel {
  path: string;
  kind: ChannelKind;
  /** Input: its bytes arrive while the guest runs. Output: a live sink. Call: always. */
  live: boolean;
  /** Output: where its bytes go. */
  sink: ChannelSink;
  /** Input, fixed: its bytes. */
  bytes?: Uint8Array;
  /** Quotas and the etag switch. */
  spec?: ChannelSpec;
}

/** One VM's inputs, fully resolved by the host: nothing is fetched or decided in the worker. */
export interface VmRequest {
  /** Numbers the run, so that input still on its way from an earlier run is not taken for this one's. */
  run: number;
  module: WebAssembly.Module;
  /** Names the module (content hash and policy): what the worker checked of it once holds for every run. */
  moduleKey: string;
  args: string[];
  env: Record<string, string>;
  fs: FsImage;
  channels: VmChannel[];
  mode: VmMode;
  limits: {
    fds: number;
    /** Bytes of each capture channel sent to the host; past it output is counted, hashed, and dropped. */
    stream: number;
    /** Bytes all the VM's files may hold (limits.memory): the filesystem lives in the worker's memory too. */
    fileBytes: number;
    /** Bytes of live input the record keeps for replay (limits.output); past it only its etag. */
    record: number;
  };
  determinism: { seed: number; epoch: number; realtime: boolean };
  /** Replays a recorded run: its timing-dependent answers, in order (no live ends). */
  replay?: InputEvent[];
  /** Guest paths (volumes that may commit) whose state comes back with the result when the guest exits. */
  collect: string[];
  /**
   * Tar images to mount read-only, by content hash: the bytes come only the first time a worker is
   * given an image, which it unpacks once and keeps for every later run.
   */
  images: { key: string; guest: string; bytes?: Uint8Array; where: string }[];
  /** A plugin call: the export to call with its input, instead of the program's _start. */
  plugin?: VmPluginCall;
}

/** The record of a run's live input (see kernel/inputs.ts), as the worker returns it. */
export interface VmInputs {
  events: InputEvent[];
  /** False when more was read than limits.output: the record holds only the first part. */
  complete: boolean;
  /** Hashes every answer, kept or not. */
  etag?: string;
}

export interface VmResult {
  status: Extract<RunStatus, 'ok' | 'trap' | 'invalid'>;
  exitCode: number | null;
  message: string;
  channels: ChannelReport[];
  /** The run etag, over the channel etags and the exit code. */
  etag?: string;
  instantiateMs: number;
  runMs: number;
  memoryPeakBytes: number;
  /** The run's live input, recorded for replay (runs with live channels). */
  inputs?: VmInputs;
  /** When the guest exited: the state of each `collect` path, in order. */
  volumes?: VolumeEntry[][];
  /** Output not sent yet: it rides with the result, after everything sent before. */
  tail: LinkRecord[];
  /** A plugin call's output, error and logs. */
  plugin?: VmPluginOutcome;
}

export interface VmService {
  /** Once per worker: the shared block of its link, or the port input comes on (a message link). */
  attach(link: SharedArrayBuffer | MessagePort): void;
  run(request: VmRequest): Promise<VmResult>;
}
