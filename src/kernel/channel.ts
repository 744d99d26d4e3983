// A channel: a device the VM reaches the world through (stdin, stdout, stderr), accounted as
// ZeroVM accounted its channels. Every call and byte is counted; quotas (reads, readBytes,
// writes, writeBytes) refuse the call that would pass them with EDQUOT, and the VM goes on;
// every byte through it is hashed into its etag, in order.
import type { ChannelLimits } from '../contract/manifest.js';
import { Stat, STAT_FIELDS, statsReport } from '../contract/link.js';
import type { ChannelReport } from '../contract/report.js';
import { Errno } from './abi.js';
import type { Hasher } from './config.js';
import { fail } from './errors.js';
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

/** Where a channel's bytes come from or go: bytes already in the worker, or a sink streaming out. */
export interface Backing {
  /** Copies up to `len` bytes into `dst` at `at`; returns how many (0 at the end). */
  read?(dst: Uint8Array, at: number, len: number): number;
  /** Takes `len` bytes of `src` from `at` (copying them: `src` is guest memory). */
  write?(src: Uint8Array, at: number, len: number): void;
  /** A write call's bytes are all given (one write() per iovec before it). */
  written?(): void;
  /** Bytes a read would return now. */
  available?(): number;
}

/** Small reads and writes are gathered here before hashing: one hash update per 16 KiB, not per call. */
const ETAG_STAGE = 16 * 1024;

export class Channel implements Device {
  readonly readable: boolean;
  readonly writable: boolean;
  /** Made at the first byte to hash: most VMs never touch most channels. */
  private hasher: Hasher | null = null;
  /** Made at the first byte to hash: most VMs never touch most channels. */
  private stage: Uint8Array | null = null;
  private staged = 0;

  constructor(
    readonly path: string,
    private backing: Backing,
    private quotas: Quotas,
    private makeHasher: (() => Hasher) | null,
    /** This channel's STAT_FIELDS numbers (Stat order): kept where the host can read them even after a kill. */
    private stats: Float64Array = new Float64Array(STAT_FIELDS),
  ) {
    this.readable = backing.read !== undefined;
    this.writable = backing.write !== undefined;
  }

  read(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number {
    const source = this.backing;
    if (!source.read) return fail(Errno.BADF);
    const stats = this.stats;
    const allowed = this.admit(stats[Stat.Reads], stats[Stat.ReadBytes], this.quotas.reads, this.quotas.readBytes, total);
    let done = 0;
    for (let i = 0, at = iovs; i < count && done < allowed; i++, at += 8) {
      const ptr = view.getUint32(at, true);
      const want = Math.min(view.getUint32(at + 4, true), allowed - done);
      const got = source.read(u8, ptr, want);
      this.hash(u8, ptr, got);
      done += got;
      if (got < want) break;
    }
    stats[Stat.Reads]++;
    stats[Stat.ReadBytes] += done;
    return done;
  }

  write(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number {
    const sink = this.backing;
    if (!sink.write) return fail(Errno.BADF);
    const stats = this.stats;
    const allowed = this.admit(stats[Stat.Writes], stats[Stat.WriteBytes], this.quotas.writes, this.quotas.writeBytes, total);
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

  available(): number {
    return this.backing.available?.() ?? 0;
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

/** Bytes given up front (the manifest's stdin): read through once. */
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
  read: () => 0,
  write: (_u8, _view, _iovs, _count, total) => total,
  available: () => 0,
};

