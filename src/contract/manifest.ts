// The Manifest: what a VM is given. Plain, JSON-able data (except `program`, which may also be
// bytes or a compiled module when passed through the API). Validated in host/validate.ts.

export type Bytes = Uint8Array;

/** Where the program comes from: a URL or path, its bytes, or an already compiled module (API only). */
export type ProgramSource = string | Bytes | ArrayBuffer | WebAssembly.Module;

export interface Limits {
  /** Most linear-memory bytes the guest may have. */
  memory?: number;
  /** Wall-clock milliseconds before the VM is killed (status `timeout`). */
  timeout?: number;
  /** Most descriptors open at once (EMFILE past it). */
  fds?: number;
  /** Bytes captured per output channel (stdout, stderr) into the report. */
  output?: number;
}

export interface Determinism {
  seed?: number;
  /** Realtime clock start, nanoseconds since the Unix epoch. */
  epoch?: number;
  /** Opt out of determinism: real clocks and crypto randomness. */
  realtime?: boolean;
}

/** A directory tree mounted into the VM's in-memory filesystem. */
export interface Mount {
  /** Guest directory (absolute) where the tree appears; it is preopened. */
  guest: string;
  /** Host directory to copy in (CLI / Node only). */
  host?: string;
}

/** Per-channel quotas, as ZeroVM's gets/getsize/puts/putsize: the call that would pass one gets EDQUOT. */
export interface ChannelLimits {
  reads?: number;
  readBytes?: number;
  writes?: number;
  writeBytes?: number;
}

/** A declared channel. In this version the channels are the stdio devices. */
export interface ChannelSpec {
  path: '/dev/stdin' | '/dev/stdout' | '/dev/stderr';
  /** Hash every byte through the channel into its etag (default true). */
  etag?: boolean;
  limits?: ChannelLimits;
}

export interface Manifest {
  program: ProgramSource;
  /** argv, including argv[0]. */
  args?: string[];
  env?: Record<string, string>;
  /** Shorthand for the /dev/stdin channel's bytes. */
  stdin?: string | Bytes;
  /** Files loaded into the in-memory filesystem, by absolute guest path. */
  files?: Record<string, string | Bytes>;
  mounts?: Mount[];
  limits?: Limits;
  determinism?: Determinism;
  channels?: ChannelSpec[];
}
