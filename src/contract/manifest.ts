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
  /** Most bytes each mounted volume may hold (EDQUOT past it; the VM goes on). */
  volumeBytes?: number;
}

export interface Determinism {
  seed?: number;
  /** Realtime clock start, nanoseconds since the Unix epoch. */
  epoch?: number;
  /** Opt out of determinism: real clocks and crypto randomness. */
  realtime?: boolean;
}

/**
 * A directory tree mounted into the VM's filesystem at `guest` (preopened): empty, a host
 * directory copied in (`host`, Node only), a persistent `volume`, or a read-only tar `image`.
 */
export interface Mount {
  /** Guest directory (absolute) where the tree appears; it is preopened. */
  guest: string;
  /** Host directory to copy in (CLI / Node only). */
  host?: string;
  /** A persistent volume by name: the run sees a snapshot as of its start; its changes land in one transaction, or not at all. */
  volume?: string;
  /** When a volume's changes land: `exit0` (the guest exited 0; the default), `always` (it exited, any code), `never` (a scratch copy). Never on a trap, timeout or kill. */
  commit?: 'exit0' | 'always' | 'never';
  /** The volume (always, for an image) is mounted read-only: EROFS for any change. */
  readonly?: boolean;
  /** When another run moved the volume's head first (a conflict), run again on the new snapshot up to this many times (default 0). */
  retry?: number;
  /** A tar archive mounted read-only: its URL or path, or its bytes (API). */
  image?: string | Bytes;
}

/** Per-channel quotas, as ZeroVM's gets/getsize/puts/putsize: the call that would pass one gets EDQUOT. */
export interface ChannelLimits {
  reads?: number;
  readBytes?: number;
  writes?: number;
  writeBytes?: number;
}

/**
 * Where an input channel's bytes come from: fixed before the run (`bytes` as UTF-8 text or a
 * Uint8Array through the API, `base64` for binary in JSON, `url` fetched by the host before the
 * run), or `live`: they arrive while the guest runs, from a stream bound in RunOptions.
 */
export type ChannelSource = 'live' | { bytes: string | Bytes } | { base64: string } | { url: string };

/**
 * Where an output channel's bytes go: `capture` keeps them in the report (and streams them to the
 * run's listeners), `live` streams them to a sink bound in RunOptions (the guest waits while it is
 * full), `discard` counts and hashes them only.
 */
export type ChannelSink = 'capture' | 'live' | 'discard';

/**
 * A declared channel: `/dev/stdin`, `/dev/stdout`, `/dev/stderr`, an input `/dev/in/NAME`, an
 * output `/dev/out/NAME`, or a call channel `/dev/call/NAME` (the guest writes a request; its next
 * read sends it to a page function bound in RunOptions and waits for the reply).
 */
export interface ChannelSpec {
  path: string;
  /** Input channels: where the bytes come from (default: empty, or the manifest's `stdin`). */
  source?: ChannelSource;
  /** Output channels: where the bytes go (default `capture`). */
  sink?: ChannelSink;
  /** Hash every byte through the channel into its etag (default true). */
  etag?: boolean;
  limits?: ChannelLimits;
}

/** What a run's worker keeps of a declared channel: its quotas and etag switch. */
export type ChannelRules = Pick<ChannelSpec, 'etag' | 'limits'>;

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
