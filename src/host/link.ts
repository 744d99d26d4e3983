// The host's end of a worker's link (see contract/link.ts): output and channel stats as the guest
// produces them, readable after the worker is gone.
import {
  canShareMemory, isOutputMessage, LINK_BYTES, LinkWord, MAX_CHANNELS, type OutputChunk, RECORD_HEADER, RING_BYTES,
  sharedLink, type SharedLink, STAT_FIELDS,
} from '../contract/link.js';

export interface LinkReader {
  /** What goes to the worker's attach(): the shared block, or null for messages. */
  readonly attachment: SharedArrayBuffer | null;
  /** Where output goes as it arrives, during a run. */
  onOutput: ((chunks: OutputChunk[]) => void) | null;
  /** The channels' stats as last known, STAT_FIELDS each. */
  readonly stats: Float64Array;
  /** A run starts: no stats yet. */
  reset(): void;
  /** Takes in everything the worker has put out so far (after it ended too). */
  drain(): void;
  /** A message from the worker's port (Comlink's replies are not ours). */
  receive(data: unknown): void;
  close(): void;
}

export function linkReader(): LinkReader {
  return canShareMemory() ? new SharedReader(new SharedArrayBuffer(LINK_BYTES)) : new MessageReader();
}

const MASK = RING_BYTES - 1;

class SharedReader implements LinkReader {
  onOutput: ((chunks: OutputChunk[]) => void) | null = null;
  private link: SharedLink;
  private tail = 0;
  private closed = false;

  constructor(readonly attachment: SharedArrayBuffer) {
    this.link = sharedLink(attachment);
    this.sleep();
  }

  get stats(): Float64Array {
    return this.link.stats;
  }

  reset(): void {
    this.link.stats.fill(0);
  }

  drain(): void {
    const { words, ring } = this.link;
    const head = Atomics.load(words, LinkWord.Head);
    const size = (head - this.tail) >>> 0;
    if (size === 0) return;
    // One copy of everything there, records cut out of it as views: one allocation per drain.
    const bytes = new Uint8Array(size);
    const start = this.tail & MASK;
    const first = Math.min(size, RING_BYTES - start);
    bytes.set(ring.subarray(start, start + first));
    if (first < size) bytes.set(ring.subarray(0, size - first), first);
    this.tail = head;
    Atomics.store(words, LinkWord.Tail, head);
    if (Atomics.load(words, LinkWord.WriterWaiting) !== 0) {
      Atomics.store(words, LinkWord.WriterWaiting, 0);
      Atomics.notify(words, LinkWord.Tail);
    }
    const view = new DataView(bytes.buffer);
    const chunks: OutputChunk[] = [];
    for (let at = 0; at < size; ) {
      const header = view.getUint32(at, true);
      const length = header & 0xffffff;
      chunks.push([header >>> 24, bytes.subarray(at + RECORD_HEADER, at + RECORD_HEADER + length)]);
      at += RECORD_HEADER + length;
    }
    this.onOutput?.(chunks);
  }

  receive(): void {}

  close(): void {
    this.closed = true;
    Atomics.notify(this.link.words, LinkWord.Head); // lets go of the pending waitAsync
  }

  /**
   * Sleeps until the worker writes (one wait pending per worker, for its whole life, not per
   * run). After each drain it yields to the event loop before looking again, so that a guest
   * writing without pause never starves the page (or, in the CLI, the pipe it writes to).
   */
  private sleep(): void {
    if (this.closed) return;
    const words = this.link.words;
    Atomics.store(words, LinkWord.HostWaiting, 1);
    const head = Atomics.load(words, LinkWord.Head);
    const wake = () => {
      if (this.closed) return;
      this.drain();
      this.sleep();
    };
    if (head !== this.tail) return nextTask(wake); // written meanwhile
    if (typeof Atomics.waitAsync !== 'function') {
      setTimeout(wake, 4); // engines without waitAsync: look every few ms
      return;
    }
    const wait = Atomics.waitAsync(words, LinkWord.Head, head);
    if (wait.async) void wait.value.then(wake);
    else nextTask(wake); // Head moved in between
  }
}

/** Runs `fn` in a task of its own, soon: after what the event loop has waiting (unlike a microtask), without setTimeout's clamping. */
function nextTask(fn: () => void): void {
  if (typeof setImmediate === 'function') {
    setImmediate(fn);
    return;
  }
  if (!taskChannel) {
    taskChannel = new MessageChannel();
    taskChannel.port1.onmessage = () => {
      for (const f of tasks.splice(0)) f();
    };
  }
  tasks.push(fn);
  if (tasks.length === 1) taskChannel.port2.postMessage(null);
}
const tasks: (() => void)[] = [];
let taskChannel: MessageChannel | null = null;

class MessageReader implements LinkReader {
  readonly attachment = null;
  onOutput: ((chunks: OutputChunk[]) => void) | null = null;
  stats = new Float64Array(MAX_CHANNELS * STAT_FIELDS);

  reset(): void {
    this.stats.fill(0);
  }

  drain(): void {} // every message is taken in as it arrives

  receive(data: unknown): void {
    if (!isOutputMessage(data)) return;
    this.stats.set(data.stats);
    this.onOutput?.(data.chunks);
  }

  close(): void {}
}
