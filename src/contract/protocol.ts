// The worker protocol: what the page (or the CLI) and a VM worker say to each other. Control goes
// over Comlink; output and the channels' stats go over the link (see link.ts).
import type { FsImage } from './fs-image.js';
import type { OutputChunk } from './link.js';
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
    /** Bytes of each output channel sent to the host; past it output is counted, hashed, and dropped. */
    stream: number;
    /** Bytes all the VM's files may hold (limits.memory): the filesystem lives in the worker's memory too. */
    fileBytes: number;
  };
  determinism: { seed: number; epoch: number; realtime: boolean };
  /** Quotas and etag switches of the declared channels. */
  channels: ChannelSpec[];
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
  /** Output not sent yet: it rides with the result, after everything sent before. */
  tail: OutputChunk[];
}

export interface VmService {
  /** Once per worker: the shared block of its link, or null to send output as messages. */
  attach(link: SharedArrayBuffer | null): void;
  run(request: VmRequest): Promise<VmResult>;
}
