// A channel: a device the VM reaches the world through (stdio, /dev/in/*, /dev/out/*, /dev/call/*),
// accounted as ZeroVM accounted its channels. Every call and byte is counted; quotas (reads, readBytes,
// writes, writeBytes) refuse the call that would pass them with EDQUOT, and the VM goes on;
// every byte through it is hashed into its etag, in order.
import type { ChannelLimits } from '../contract/manifest.js';
import { concatBytes } from '../contract/bytes.js';
import { Stat, STAT_FIELDS, statsReport } from '../contract/link.js';
import type { ChannelReport } from '../contract/report.js';
import { Errno } from './abi.js';
import type { Hasher, KernelChannel, OutputSink } from './config.js';
import { fail } from './errors.js';
import { WOULD_BLOCK } from './blocking.js';
import { type InputLog, ReplayDiverged } from './inputs.js';
import { copyBytes } from './memory.js';
import type { Device } from './fs/nodes.js';

export interface Quotas {
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
}

/** A channel's declared limits as quotas: what is not declared is unlimited. */
export function quotasOf(limits: ChannelLimits = {}): Quotas {
  return {
    reads: limits.reads ?? Infinity,
    readBytes: limits.readBytes ?? Infinity,
    writes: limits.writes ?? Infinity,
    writeBytes: limits.writeBytes ?? Infinity,
  };
}

/**
 * Where a channel's bytes come from or go: bytes already in the worker, a sink streaming out, or
 * (live) bytes that arrive while the guest runs and a sink the page drains.
 */
export interface Backing {
  /** Copies up to `len` bytes into `dst` at `at`; returns how many, 0 at the end, WOULD_BLOCK when none have come yet. */
  read?(dst: Uint8Array, at: number, len: number): number;
  /** Takes `len` bytes of `src` from `at` (copying them: `src` is guest memory). */
  write?(src: Uint8Array, at: number, len: number): void;
  /** A write call's bytes are all given (one write() per iovec before it). */
  written?(): void;
  /** A live sink: whether it can take `len` bytes now (else the write waits). */
  room?(len: number): boolean;
  /** Bytes a read would return now. */
  available?(): number;
  /** Whether a read would answer now, bytes or the end (poll's readiness; true when absent). */
  ready?(): boolean;
  /** The input has ended: a read returns 0 (poll reports a hang-up). */
  ended?(): boolean;
}

export interface ChannelOptions {
  path: string;
  backing: Backing;
  quotas: Quotas;
  /** Makes the etag hasher, or null for no etag. */
  makeHasher: (() => Hasher) | null;
  /** This channel's STAT_FIELDS numbers (Stat order): kept where the host can read them even after a kill. */
  stats?: Float64Array;
  /** For a live channel: where its reads are recorded, or replayed from; and its index there. */
  inputs?: { log: InputLog; index: number };
}

/** Small reads and writes are gathered here before hashing: one hash update per 16 KiB, not per call. */
const ETAG_STAGE = 16 * 1024;

export class Channel implements Device {
  readonly path: string;
  readonly readable: boolean;
  readonly writable: boolean;
  private backing: Backing;
  private quotas: Quotas;
  private makeHasher: (() => Hasher) | null;
  private stats: Float64Array;
  private inputs: { log: InputLog; index: number } | null;
  /** Made at the first byte to hash: most VMs never touch most channels. */
  private hasher: Hasher | null = null;
  /** Made at the first byte to hash: most VMs never touch most channels. */
  private stage: Uint8Array | null = null;
  private staged = 0;

  constructor(options: ChannelOptions) {
    this.path = options.path;
    this.backing = options.backing;
    this.quotas = options.quotas;
    this.makeHasher = options.makeHasher;
    this.stats = options.stats ?? new Float64Array(STAT_FIELDS);
    this.inputs = options.inputs ?? null;
    this.readable = this.backing.read !== undefined;
    this.writable = this.backing.write !== undefined;
  }

  read(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number {
    const source = this.backing;
    if (!source.read) return fail(Errno.BADF);
    const stats = this.stats;
    const allowed = this.admit(stats[Stat.Reads], stats[Stat.ReadBytes], this.quotas.reads, this.quotas.readBytes, total);
    const inputs = this.inputs;
    if (inputs?.log.replaying) return this.replayRead(u8, view, iovs, count, allowed, inputs.log.read(inputs.index));
    let done = 0;
    let recorded: Uint8Array[] | null = inputs ? [] : null;
    for (let i = 0, at = iovs; i < count && done < allowed; i++, at += 8) {
      const ptr = view.getUint32(at, true);
      const want = Math.min(view.getUint32(at + 4, true), allowed - done);
      const got = source.read(u8, ptr, want);
      if (got === WOULD_BLOCK) {
        if (done === 0) return WOULD_BLOCK; // nothing done yet: the caller waits and reads again
        break;
      }
      this.hash(u8, ptr, got);
      recorded?.push(u8.slice(ptr, ptr + got));
      done += got;
      if (got < want) break;
    }
    stats[Stat.Reads]++;
    stats[Stat.ReadBytes] += done;
    if (inputs && recorded) inputs.log.record({ kind: 'read', channel: inputs.index, bytes: concatBytes(recorded, done) });
    return done;
  }

  /** A non-blocking read found nothing: EAGAIN, which a live channel's log remembers. */
  again(): never {
    if (this.inputs) {
      if (this.inputs.log.replaying) this.inputs.log.read(this.inputs.index); // the recorded EAGAIN
      else this.inputs.log.record({ kind: 'again', channel: this.inputs.index });
    }
    return fail(Errno.AGAIN);
  }

  write(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number {
    const sink = this.backing;
    if (!sink.write) return fail(Errno.BADF);
    const stats = this.stats;
    const allowed = this.admit(stats[Stat.Writes], stats[Stat.WriteBytes], this.quotas.writes, this.quotas.writeBytes, total);
    // A live sink that is full: nothing done yet, the caller waits and writes again.
    if (sink.room && !sink.room(allowed)) return WOULD_BLOCK;
    // Counted before the bytes leave: whoever sees them (the host, even after a kill) sees them counted.
    stats[Stat.Writes]++;
    stats[Stat.WriteBytes] += allowed;
    let done = 0;
    for (let i = 0, at = iovs; i < count && done < allowed; i++, at += 8) {
      const ptr = view.getUint32(at, true);
      const len = Math.min(view.getUint32(at + 4, true), allowed - done);
      if (len === 0) continue;
      sink.write(u8, ptr, len);
      this.hash(u8, ptr, len);
      done += len;
    }
    sink.written?.();
    return done;
  }

  ready(): boolean {
    return this.backing.ready?.() ?? true;
  }

  ended(): boolean {
    return this.backing.ended?.() ?? false;
  }

  /** Whether this channel's answers depend on timing (recorded, or replayed). */
  get live(): boolean {
    return this.inputs !== null;
  }

  available(): number {
    return this.backing.available?.() ?? 0;
  }

  /** A replayed read: the recorded bytes (or EAGAIN), put where the guest asked, accounted as a read. */
  private replayRead(u8: Uint8Array, view: DataView, iovs: number, count: number, allowed: number, bytes: Uint8Array | null): number {
    if (bytes === null) return fail(Errno.AGAIN);
    let done = 0;
    for (let i = 0, at = iovs; i < count && done < bytes.length; i++, at += 8) {
      const ptr = view.getUint32(at, true);
      const n = Math.min(view.getUint32(at + 4, true), bytes.length - done);
      u8.set(bytes.subarray(done, done + n), ptr);
      this.hash(u8, ptr, n);
      done += n;
    }
    if (done < bytes.length || done > allowed) throw new ReplayDiverged(`a read of ${this.path} asked for fewer bytes than the recorded answer`);
    this.stats[Stat.Reads]++;
    this.stats[Stat.ReadBytes] += done;
    return done;
  }

  report(): ChannelReport {
    const report = statsReport(this.path, this.stats);
    if (this.makeHasher) {
      this.flushStage();
      report.etag = this.hasher ? this.hasher.digest() : emptyEtag(this.makeHasher);
    }
    return report;
  }

  /**
   * The bytes this call may move: all of `want`, or what is left of the byte quota. A call past
   * the call quota, or with no bytes left to move, is refused with EDQUOT (the VM runs on).
   */
  private admit(calls: number, bytes: number, maxCalls: number, maxBytes: number, want: number): number {
    const left = maxBytes - bytes;
    if (calls >= maxCalls || (want > 0 && left <= 0)) {
      this.stats[Stat.QuotaHit] = 1;
      fail(Errno.DQUOT);
    }
    return Math.min(want, left);
  }

  private hash(u8: Uint8Array, at: number, len: number): void {
    if (!this.makeHasher || len === 0) return;
    if (this.staged + len > ETAG_STAGE) this.flushStage();
    if (len >= ETAG_STAGE) {
      (this.hasher ??= this.makeHasher()).update(u8.subarray(at, at + len));
      return;
    }
    const stage = (this.stage ??= new Uint8Array(ETAG_STAGE));
    copyBytes(u8, at, stage, this.staged, len);
    this.staged += len;
  }

  private flushStage(): void {
    if (this.staged > 0) (this.hasher ??= this.makeHasher!()).update(this.stage!.subarray(0, this.staged));
    this.staged = 0;
  }
}

const emptyEtags = new WeakMap<() => Hasher, string>();

/** The etag of a channel nothing went through, made once per hasher factory. */
function emptyEtag(makeHasher: () => Hasher): string {
  let etag = emptyEtags.get(makeHasher);
  if (etag === undefined) {
    etag = makeHasher().digest();
    emptyEtags.set(makeHasher, etag);
  }
  return etag;
}

/** stdin, stdout and stderr with fixed input and plain sinks: the devices of a VM with no live channel. */
export function stdio(stdin: Uint8Array, stdout: OutputSink, stderr: OutputSink, written?: () => void): KernelChannel[] {
  return [
    { path: '/dev/stdin', backing: inlineSource(stdin) },
    { path: '/dev/stdout', backing: { write: stdout, written } },
    { path: '/dev/stderr', backing: { write: stderr, written } },
  ];
}

/** Bytes given up front (the manifest's stdin, a fixed input channel): read through once. */
export function inlineSource(bytes: Uint8Array): Backing {
  let at = 0;
  return {
    read(dst, to, len) {
      const n = Math.min(len, bytes.length - at);
      dst.set(bytes.subarray(at, at + n), to);
      at += n;
      return n;
    },
    available: () => bytes.length - at,
  };
}

/** /dev/null: reads end at once, writes vanish. Not a channel: nothing to account. */
export const nullDevice: Device = {
  readable: true,
  writable: true,
  live: false,
  read: () => 0,
  write: (_u8, _view, _iovs, _count, total) => total,
  again: () => fail(Errno.AGAIN),
  available: () => 0,
  ready: () => true,
  ended: () => true,
};

