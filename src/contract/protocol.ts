// The worker protocol: what the page (or the CLI) and a VM worker say to each other, over Comlink.
import type { FsImage } from './fs-image.js';
import type { ChannelSpec } from './manifest.js';
import type { ChannelReport, RunStatus } from './report.js';

/** One VM's inputs, fully resolved by the host: nothing is fetched or decided in the worker. */
export interface VmRequest {
  module: WebAssembly.Module;
  /** Names the module (content hash and policy): what the worker checked of it once holds for every run. */
  moduleKey: string;
  args: string[];
  env: Record<string, string>;
  fs: FsImage;
  stdin: Uint8Array;
  limits: {
    fds: number;
    /** Bytes of each output channel sent to the page; past it output is counted, hashed, and dropped. */
    output: number;
    /** Bytes all the VM's files may hold (limits.memory): the filesystem lives in the worker's memory too. */
    fileBytes: number;
  };
  determinism: { seed: number; epoch: number; realtime: boolean };
  /** Quotas and etag switches of the declared channels. */
  channels: ChannelSpec[];
}

/** Output in the order the guest wrote it: [fd (1 stdout, 2 stderr), bytes]. */
export type OutputChunk = [fd: 1 | 2, bytes: Uint8Array];

/** Receives output while the VM runs (a Comlink proxy on the page side). */
export type OutputListener = (chunks: OutputChunk[]) => void;

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
  /** Output not yet sent to the listener; the host delivers it before the report. */
  tail: OutputChunk[];
}

export interface VmService {
  /** Once per worker: where streamed output goes. */
  attach(listener: OutputListener): void;
  run(request: VmRequest): Promise<VmResult>;
}
