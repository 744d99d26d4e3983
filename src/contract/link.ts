// The link between the host and one VM worker, besides Comlink's control calls: how a guest's
// output and its channels' accounting reach the host *while* it runs, so that nothing is lost when
// a run is killed or times out (the worker is terminated then, and cannot be asked for anything).
//
// It carries live channels too: input for a guest that waits for it, call requests and replies,
// and the credit of live sinks (the page's backpressure). Two ways, chosen per worker:
// - shared: a SharedArrayBuffer (cross-origin isolated pages, and always in Node). An output ring
//   and an input ring, the channel stats and the credits live in it; each side sleeps on a bell
//   word the other bumps. The host can still read output and stats after terminating the worker.
//   A warm run needs no message at all: its request and result go through the block's box, and
//   an idle worker waits for the next on a word (blocked for a moment first, so that a run right
//   behind the last is woken in microseconds rather than a message's task later).
// - message: no SharedArrayBuffer (a page that is not cross-origin isolated). Output goes as
//   messages on the worker's own port, each with a copy of the stats, in order with the run's
//   reply; input comes on a port the host hands over at attach, taken in while the guest is
//   suspended (JSPI).
import type { ChannelReport } from './report.js';
import { Ring, type RecordKind } from './ring.js';


/** Int32 words at the start of the shared block. */
export const enum LinkWord {
  /** Output ring: bytes ever written by the worker, and ever taken by the host (wrapping u32). */
  OutHead = 0,
  OutTail = 1,
  /** Input ring: bytes ever written by the host, and ever taken by the worker. */
  InHead = 2,
  InTail = 3,
  /** Bumped by the worker when the host has something to look at; the host sleeps on it. */
  HostBell = 4,
  /** The host is asleep on HostBell (Atomics.waitAsync): a bump must notify. Set and cleared by the host alone. */
  HostWaiting = 5,
  /** Bumped by the host when the worker has something to look at (input, credit); a blocked guest sleeps on it. */
  WorkerBell = 6,
  /** The host has input the input ring had no room for: the worker bumps HostBell when it takes input. */
  HostWantsRoom = 7,
  /**
   * 0 at a run's start: the worker bumps HostBell for output without waking the host (its result
   * will carry the end of it), unless the guest is about to wait; the host sets 1 when it looks
   * at a run that is taking longer, and from then on every write wakes it.
   */
  HostEager = 8,
  /**
   * Whether the worker takes its next run from the box (RunState): it says Listening from the
   * moment a run's reply is on its way; the host puts a request in the box and swaps Listening for
   * Requested (compareExchange, so a worker that gave up listening never misses one).
   */
  RunState = 9,
  /** Bytes of the request in the box; 0 when it comes as a message (the worker goes back to its event loop for it). */
  RunBytes = 10,
  /** Bytes of the result in the box (worker → host), put after the run's last output record; 0 when none waits. */
  ResultBytes = 11,
  /**
   * The number of the run whose request is in the box. It is left out of the packed request, so
   * that a run like the one before packs to the same bytes (see worker/last-request.ts).
   */
  RunNumber = 12,
}

/**
 * A worker's readiness for a run from the box: Away, runs come as messages (booting, running, or a
 * worker that could not keep listening); Listening, it waits on RunState; Requested, the host has
 * put a run (or RunBytes 0: a message is coming) and woken it.
 */
export const enum RunState {
  Away = 0,
  Listening = 1,
  Requested = 2,
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
/** Channels whose stats the shared block holds: the manifest may declare all but the last. */
export const MAX_CHANNELS = 64;
/**
 * The last channel is the volume loader's: a call channel of the host's own, never a device, that
 * brings a volume file's bytes in when the guest first opens it (see kernel FileLoader).
 */
export const LOADER_CHANNEL = MAX_CHANNELS - 1;
const STATS_BYTES = MAX_CHANNELS * STAT_FIELDS * 8;
/** Per channel: the bytes of a live sink the page has taken, so far (host → worker: the guest's credit). */
const ACKED_BYTES = MAX_CHANNELS * 8;

/** The rings' sizes: powers of two, so that positions wrap with the u32 counters. */
export const OUT_RING_BYTES = 1 << 22;
export const IN_RING_BYTES = 1 << 20;

/**
 * The box: a warm run's request (host → worker), then its result (worker → host), packed (see
 * packed.ts). What does not fit goes as a message, as does a request that carries a module.
 */
export const RUN_BOX_BYTES = 1 << 16;

export const LINK_BYTES = HEADER_BYTES + STATS_BYTES + ACKED_BYTES + OUT_RING_BYTES + IN_RING_BYTES + RUN_BOX_BYTES;

/** Bytes a live sink may have on its way to the page before the guest's next write waits. */
export const LIVE_WINDOW = 64 * 1024;

/** Views of one shared block, the same layout on both sides. */
export interface SharedLink {
  words: Int32Array;
  /** Every channel's stats, STAT_FIELDS numbers each, in channel order. */
  stats: Float64Array;
  /** Per channel, the live-sink bytes the page has taken. */
  acked: Float64Array;
  out: Ring;
  in: Ring;
  /** A run's request, then its result (RunState, RunBytes, ResultBytes). */
  box: Uint8Array;
}

export function sharedLink(buffer: SharedArrayBuffer): SharedLink {
  const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  let at = HEADER_BYTES;
  const stats = new Float64Array(buffer, at, MAX_CHANNELS * STAT_FIELDS);
  at += STATS_BYTES;
  const acked = new Float64Array(buffer, at, MAX_CHANNELS);
  at += ACKED_BYTES;
  const out = new Ring(words, LinkWord.OutHead, LinkWord.OutTail, new Uint8Array(buffer, at, OUT_RING_BYTES));
  at += OUT_RING_BYTES;
  const ringIn = new Ring(words, LinkWord.InHead, LinkWord.InTail, new Uint8Array(buffer, at, IN_RING_BYTES));
  at += IN_RING_BYTES;
  return { words, stats, acked, out, in: ringIn, box: new Uint8Array(buffer, at, RUN_BOX_BYTES) };
}

/** Wakes whoever sleeps on `word` after bumping it (the other side compares with the value it saw). */
export function ring(words: Int32Array, word: LinkWord): void {
  Atomics.add(words, word, 1);
  Atomics.notify(words, word);
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

/** A record as messages carry it: [kind, channel index, bytes]. */
export type LinkRecord = [kind: RecordKind, channel: number, bytes: Uint8Array];

/** What a worker posts on its own port, beside run replies (RunReply) and Comlink's replies. */
export interface OutputMessage {
  zerovm: 'output';
  records: LinkRecord[];
  /** The channels' stats as of these records (message links only). */
  stats: Float64Array;
}

export function isOutputMessage(data: unknown): data is OutputMessage {
  return typeof data === 'object' && data !== null && (data as OutputMessage).zerovm === 'output';
}

/** What the host sends a message-link worker, on the port it gave it at attach. */
export interface InputMessage {
  /** The run it is for: input still on its way when a run ends is not the next run's. */
  run: number;
  /** Input records: bytes of an input channel, its end, a call's reply and its end. */
  records: LinkRecord[];
  /** [channel, bytes taken so far] for live sinks the page has taken more of. */
  acked: [number, number][];
}
