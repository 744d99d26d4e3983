// The link between the host and one VM worker, besides Comlink's control calls: how a guest's
// output and its channels' accounting reach the host *while* it runs, so that nothing is lost when
// a run is killed or times out (the worker is terminated then, and cannot be asked for anything).
//
// Two ways, chosen per worker when it starts:
// - shared: a SharedArrayBuffer (cross-origin isolated pages, and always in Node). Output goes
//   into a ring in it and the channel stats live in it; the host drains the ring as it fills and
//   can still read both after terminating the worker.
// - message: no SharedArrayBuffer (a page that is not cross-origin isolated). Output goes as
//   messages on the worker's own port, each with a copy of the stats, in order with Comlink's replies.
import type { ChannelReport } from './report.js';


/** Int32 words at the start of the shared block. */
export const enum LinkWord {
  /** Bytes ever written into the ring (wrapping u32). */
  Head = 0,
  /** Bytes ever taken out of the ring by the host (wrapping u32). */
  Tail = 1,
  /** The host is asleep on Head (Atomics.waitAsync): the next write wakes it. */
  HostWaiting = 2,
  /** The worker is asleep on Tail (Atomics.wait) for room in the ring: the host's next drain wakes it. */
  WriterWaiting = 3,
}

const HEADER_BYTES = 64;

/** Numbers kept per channel, in this order (ChannelStats). */
export const STAT_FIELDS = 5;
export const enum Stat {
  Reads = 0,
  ReadBytes = 1,
  Writes = 2,
  WriteBytes = 3,
  QuotaHit = 4,
}
/** Channels whose stats the shared block holds: the manifest may declare at most this many. */
export const MAX_CHANNELS = 64;
const STATS_BYTES = MAX_CHANNELS * STAT_FIELDS * 8;

/** The output ring's size: a power of two, so that positions wrap with the u32 counters. */
export const RING_BYTES = 1 << 22;
/** Each record in the ring: a u32 header (channel index << 24 | length), then its bytes. */
export const RECORD_HEADER = 4;
export const MAX_RECORD = RING_BYTES >>> 2;

export const LINK_BYTES = HEADER_BYTES + STATS_BYTES + RING_BYTES;

/** Views of one shared block, the same layout on both sides. */
export interface SharedLink {
  words: Int32Array;
  /** Every channel's stats, STAT_FIELDS numbers each, in channel order. */
  stats: Float64Array;
  ring: Uint8Array;
}

export function sharedLink(buffer: SharedArrayBuffer): SharedLink {
  return {
    words: new Int32Array(buffer, 0, HEADER_BYTES / 4),
    stats: new Float64Array(buffer, HEADER_BYTES, MAX_CHANNELS * STAT_FIELDS),
    ring: new Uint8Array(buffer, HEADER_BYTES + STATS_BYTES, RING_BYTES),
  };
}

/** Whether this context can share memory with a worker (and block a worker on it). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** A channel's report from its STAT_FIELDS numbers at `at` in `stats` (no etag: the caller adds one when there is one). */
export function statsReport(path: string, stats: Float64Array, at = 0): ChannelReport {
  return {
    path,
    reads: stats[at + Stat.Reads],
    readBytes: stats[at + Stat.ReadBytes],
    writes: stats[at + Stat.Writes],
    writeBytes: stats[at + Stat.WriteBytes],
    quotaHit: stats[at + Stat.QuotaHit] !== 0,
    truncated: false,
  };
}

/** Output in the order the guest wrote it: [channel index, bytes]. */
export type OutputChunk = [channel: number, bytes: Uint8Array];

/** What a worker posts on its own port, beside Comlink's replies (which carry an `id`). */
export interface OutputMessage {
  zerovm: 'output';
  chunks: OutputChunk[];
  /** The channels' stats as of these chunks (message links only). */
  stats: Float64Array;
}

export function isOutputMessage(data: unknown): data is OutputMessage {
  return typeof data === 'object' && data !== null && (data as OutputMessage).zerovm === 'output';
}
