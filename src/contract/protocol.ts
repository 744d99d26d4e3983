// The worker protocol: what the page (or the CLI) and a VM worker say to each other. Control (attach)
// goes over Comlink; a run is one message each way on the worker's own port (RunMessage, RunReply:
// no proxy, no id to generate, the module sent once per worker), or, once a worker with a shared
// link has run one, the same request and reply packed into the link's box (see RunState in
// link.ts); output and the channels' stats go over the link. A request goes in a message as JSON
// text when it can (requestText), so that one like the last is known there too.
import type { ChannelKind } from './channels.js';
import type { FsImage, VolumeEntry } from './fs-image.js';
import type { InputEvent } from './inputs.js';
import type { LinkRecord } from './link.js';
import type { ChannelRules, ChannelSink } from './manifest.js';
import type { VmPluginCall, VmPluginOutcome } from './plugin.js';
import { jsonText, pack } from './packed.js';
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
  /** Its quotas and etag switch, as declared (not its source: fixed input is in `bytes`). */
  spec?: ChannelRules;
}

/** One VM's inputs, fully resolved by the host: nothing is fetched or decided in the worker. */
export interface VmRequest {
  /** Numbers the run, so that input still on its way from an earlier run is not taken for this one's. */
  run: number;
  /** The module, the first time this worker is given `moduleKey`; it keeps it for later runs. */
  module?: WebAssembly.Module;
  /** Names the module (content hash and policy): what the worker checked of it once holds for every run. */
  moduleKey: string;
  /** Modules the worker may drop (the host keeps a bounded list of what each worker holds). */
  forget?: string[];
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

/** Comlink's surface of a VM worker: control, not runs. */
export interface VmService {
  /**
   * Once per worker: the shared block of its link, or the port input comes on (a message link).
   * Resolves once the worker has what every run needs (the etag hash instantiated; for a plugin's
   * worker, `plugin`, the Extism ABI loaded), so that no run's timeout pays for loading our own code.
   * The host need not wait for it to send a run, nor send it first: a run that comes before it or
   * meanwhile starts once it resolves, and fails with its error if it fails.
   */
  attach(link: SharedArrayBuffer | MessagePort, options: AttachOptions): Promise<void>;
  /**
   * How the worker's warm-up ended (see worker/warm-up.ts), once it has: its status (`ok`), or
   * null when it had none (no warm-up given, a run came first, or the attach failed); rejects with
   * why it failed. Diagnostics only: the host never waits for it.
   */
  warmUpStatus(): Promise<VmResult['status'] | null>;
}

export interface AttachOptions {
  /** The etag hash's module (XXH64), compiled once by the host for all its workers: see host/etag-module.ts. */
  etag: WebAssembly.Module;
  /** A plugin's worker: it loads the Extism ABI before it counts as up. */
  plugin?: boolean;
  /**
   * The warm-up guest and the request to run it with (host/warm-up.ts), made once by the host: a
   * worker that has had no run yet runs it once, on its own, so that its first run finds the
   * kernel's code compiled (see worker/warm-up.ts). Absent: no warm-up.
   */
  warmUp?: WarmUp;
}

/** The warm-up guest's module (compiled under the default policy) and the request a run of it makes. */
export interface WarmUp {
  module: WebAssembly.Module;
  request: VmRequest;
}

/**
 * A run, host to worker (beside Comlink's messages, which carry a `type` and an `id` instead): its
 * request as JSON text (requestText), or as it is, in a structured clone, when JSON does not spell
 * it (it carries the module, or bytes: fixed input, files; or a limit of Infinity: passthrough).
 */
export type RunMessage = { zerovm: 'run'; request: VmRequest } | { zerovm: 'run'; run: number; text: string };

/**
 * Packs `request` into `box` as the shared block's box carries it (see contract/packed.ts):
 * without its run number, which travels apart (LinkWord.RunNumber), so that a run like the one
 * before packs to the same bytes (see worker/last-request.ts). 0: it does not pack.
 */
export function packRequest(request: VmRequest, box: Uint8Array): number {
  const rest = withoutRun(request);
  return rest ? pack(rest, box) : 0;
}

/** `request` as JSON text, without its run number (as packRequest), or null when JSON does not spell it as it is. */
export function requestText(request: VmRequest): string | null {
  const rest = withoutRun(request);
  return rest ? jsonText(rest) : null;
}

/** What of `request` is packed or spelt: all but its run number; null when it carries a module, which only a structured clone carries. */
function withoutRun(request: VmRequest): Omit<VmRequest, 'run'> | null {
  if (request.module) return null;
  const { run: _apart, ...rest } = request;
  return rest;
}

/**
 * A run's end, worker to host, after all of the run's output: in the shared block's box when it
 * fits (RunState in link.ts), else as a message on the port its output messages go on. `failed` is
 * the worker's own failure (not the guest's), which the run rejects with.
 */
export type RunReply = { zerovm: 'result'; run: number; result: VmResult } | { zerovm: 'failed'; run: number; message: string };

export function isRunMessage(data: unknown): data is RunMessage {
  if (typeof data !== 'object' || data === null || (data as RunMessage).zerovm !== 'run') return false;
  return 'request' in data || typeof (data as { text?: unknown }).text === 'string';
}

export function isRunReply(data: unknown): data is RunReply {
  const tag = typeof data === 'object' && data !== null ? (data as RunReply).zerovm : undefined;
  return tag === 'result' || tag === 'failed';
}
