// The host's end of a worker's link (see contract/link.ts): records from the guest as it produces
// them (output, call requests, wants), channel stats readable after the worker is gone, and input
// for its live channels on the way in.
import {
  canShareMemory, type InputMessage, isOutputMessage, LINK_BYTES, LinkWord, type LinkRecord, MAX_CHANNELS, ring,
  RunState, sharedLink, type SharedLink, STAT_FIELDS,
} from '../contract/link.js';
import { unpack } from '../contract/packed.js';
import { packRequest, type RunReply, type VmRequest } from '../contract/protocol.js';
import { RecordKind } from '../contract/ring.js';
import { nextTask } from '../contract/next-task.js';

export interface LinkReader {
  /** What goes to the worker's attach(): the shared block, or the port input goes on. */
  readonly attachment: SharedArrayBuffer | MessagePort;
  /** Where records go as they arrive, during a run. */
  onRecords: ((records: LinkRecord[]) => void) | null;
  /** Where a run's reply goes when it comes through the shared block (after the run's records). */
  onReply: ((reply: RunReply) => void) | null;
  /**
   * Puts a run's request in the shared block and wakes the worker waiting for it: true when it
   * went that way. False when it must go as a message: no shared block, a worker not listening, or
   * a request that does not pack (it carries a module, or is too big) — a listening worker is then
   * woken to take it from its event loop.
   */
  offer(request: VmRequest): boolean;
  /** The channels' stats as last known, STAT_FIELDS each. */
  readonly stats: Float64Array;
  /** Run `run` starts: no stats, no credit yet. */
  reset(run: number): void;
  /**
   * The run has gone on a while: takes in its output so far, and has the worker wake the host for
   * the rest. Absent on a message link, where every write is sent as it is made.
   */
  look?(): void;
  /** Takes in everything the worker has put out so far (after it ended too). */
  drain(): void;
  /** A message from the worker's port (run replies and Comlink's are not ours). */
  receive(data: unknown): void;
  /** Input for `channel`: bytes, or (null) its end — a stream's, or one reply's. */
  input(channel: number, bytes: Uint8Array | null): void;
  /** The page has taken `total` bytes of live sink `channel` so far: the guest may write more. */
  acked(channel: number, total: number): void;
  /** The page's end of `channel` failed: the guest's reads (EIO) and writes (EPIPE) on it fail. */
  fail(channel: number): void;
  close(): void;
}

export function linkReader(): LinkReader {
  return canShareMemory() ? new SharedReader(new SharedArrayBuffer(LINK_BYTES)) : new MessageReader();
}

const EMPTY = new Uint8Array(0);

class SharedReader implements LinkReader {
  onRecords: ((records: LinkRecord[]) => void) | null = null;
  onReply: ((reply: RunReply) => void) | null = null;
  private link: SharedLink;
  private closed = false;
  /** Input the ring had no room for, in order: written as the worker takes what is there. */
  private pending: [number, Uint8Array | RecordKind.End | RecordKind.Fail][] = [];

  constructor(readonly attachment: SharedArrayBuffer) {
    this.link = sharedLink(attachment);
    this.sleep();
  }

  get stats(): Float64Array {
    return this.link.stats;
  }

  reset(): void {
    this.link.stats.fill(0);
    this.link.acked.fill(0);
    this.pending = [];
    Atomics.store(this.link.words, LinkWord.HostEager, 0);
  }

  look(): void {
    // Set before draining (both sequentially consistent): a record the drain misses was put after
    // the store, and its writer sees HostEager set and wakes the host.
    Atomics.store(this.link.words, LinkWord.HostEager, 1);
    this.drain();
  }

  drain(): void {
    const { out, words } = this.link;
    // Looked at before the records: a result there was put after the run's last record.
    const result = Atomics.load(words, LinkWord.ResultBytes);
    if (out.pending()) {
      const records = out.take();
      Atomics.notify(words, LinkWord.OutTail); // a writer waiting for room
      this.onRecords?.(records.map(({ kind, channel, bytes }): LinkRecord => [kind, channel, bytes]));
    }
    this.flushInput();
    if (result !== 0) {
      const reply = unpack<RunReply>(this.link.box);
      Atomics.store(words, LinkWord.ResultBytes, 0); // the box is free for the next request
      this.onReply?.(reply);
    }
  }

  offer(request: VmRequest): boolean {
    const { words, box } = this.link;
    if (Atomics.load(words, LinkWord.RunState) !== RunState.Listening) return false;
    const size = packRequest(request, box);
    Atomics.store(words, LinkWord.RunBytes, size);
    Atomics.store(words, LinkWord.RunNumber, request.run);
    // A worker that gave up listening meanwhile is on its event loop: the message finds it there.
    if (Atomics.compareExchange(words, LinkWord.RunState, RunState.Listening, RunState.Requested) !== RunState.Listening) return false;
    Atomics.notify(words, LinkWord.RunState);
    return size > 0;
  }

  receive(): void {}

  input(channel: number, bytes: Uint8Array | null): void {
    if (bytes?.length === 0) return; // an empty reply is its End record alone: no record is empty
    this.pending.push([channel, bytes ?? RecordKind.End]);
    this.flushInput();
  }

  acked(channel: number, total: number): void {
    this.link.acked[channel] = total;
    ring(this.link.words, LinkWord.WorkerBell);
  }

  fail(channel: number): void {
    this.pending.push([channel, RecordKind.Fail]);
    this.flushInput();
  }

  close(): void {
    this.closed = true;
    Atomics.notify(this.link.words, LinkWord.HostBell); // lets go of the pending waitAsync
  }

  /** Writes what input the ring has room for; asks the worker to say when it has taken some. */
  private flushInput(): void {
    if (this.pending.length === 0) return;
    const { in: ringIn, words } = this.link;
    let wrote = false;
    while (this.pending.length > 0) {
      const [channel, bytes] = this.pending[0];
      if (!(bytes instanceof Uint8Array)) {
        if (!ringIn.put(bytes, channel, EMPTY, 0, 0)) break;
        this.pending.shift();
      } else {
        const n = Math.min(bytes.length, ringIn.maxRecord, Math.max(0, ringIn.free() - 4));
        if (n === 0 || !ringIn.put(RecordKind.Data, channel, bytes, 0, n)) break;
        if (n === bytes.length) this.pending.shift();
        else this.pending[0] = [channel, bytes.subarray(n)];
      }
      wrote = true;
    }
    if (this.pending.length > 0) Atomics.store(words, LinkWord.HostWantsRoom, 1);
    if (wrote) ring(words, LinkWord.WorkerBell);
  }

  /**
   * Sleeps until the worker rings (one wait pending per worker, for its whole life, not per run).
   * After each drain it yields to the event loop before looking again, so that a guest writing
   * without pause never starves the page (or, in the CLI, the pipe it writes to).
   */
  private sleep(): void {
    if (this.closed) return;
    const words = this.link.words;
    Atomics.store(words, LinkWord.HostWaiting, 1);
    const bell = Atomics.load(words, LinkWord.HostBell);
    const wake = () => {
      if (this.closed) return;
      Atomics.store(words, LinkWord.HostWaiting, 0); // awake: rings need not notify until the next sleep
      this.drain();
      this.sleep();
    };
    if (this.link.out.pending() || Atomics.load(words, LinkWord.ResultBytes) !== 0) return nextTask(wake); // written meanwhile
    if (typeof Atomics.waitAsync !== 'function') {
      setTimeout(wake, 4); // engines without waitAsync: look every few ms
      return;
    }
    const wait = Atomics.waitAsync(words, LinkWord.HostBell, bell);
    if (wait.async) void wait.value.then(wake);
    else nextTask(wake); // rung in between
  }
}

class MessageReader implements LinkReader {
  onRecords: ((records: LinkRecord[]) => void) | null = null;
  onReply: ((reply: RunReply) => void) | null = null; // never called: every reply is a message
  stats = new Float64Array(MAX_CHANNELS * STAT_FIELDS);
  readonly attachment: MessagePort;
  private port: MessagePort;
  private run = -1;

  constructor() {
    const channel = new MessageChannel();
    this.attachment = channel.port2;
    this.port = channel.port1;
  }

  reset(run: number): void {
    this.run = run;
    this.stats.fill(0);
  }

  offer(): boolean {
    return false; // no shared block: every run is a message
  }

  drain(): void {} // every message is taken in as it arrives


  receive(data: unknown): void {
    if (!isOutputMessage(data)) return;
    this.stats.set(data.stats);
    this.onRecords?.(data.records);
  }

  input(channel: number, bytes: Uint8Array | null): void {
    const record: LinkRecord = bytes === null ? [RecordKind.End, channel, EMPTY] : [RecordKind.Data, channel, bytes];
    this.send({ run: this.run, records: [record], acked: [] });
  }

  acked(channel: number, total: number): void {
    this.send({ run: this.run, records: [], acked: [[channel, total]] });
  }

  fail(channel: number): void {
    this.send({ run: this.run, records: [[RecordKind.Fail, channel, EMPTY]], acked: [] });
  }

  close(): void {
    this.port.close();
  }

  private send(message: InputMessage): void {
    this.port.postMessage(message);
  }
}
