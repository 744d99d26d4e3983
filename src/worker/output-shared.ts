// Output through the worker's shared block: each write goes straight into the ring, where the
// host can read it while the guest runs and after the worker is terminated. A full ring blocks
// the guest (Atomics.wait) until the host drains it: bounded memory, never a lost byte.
import { LinkWord, MAX_RECORD, type OutputChunk, RECORD_HEADER, RING_BYTES, type SharedLink } from '../contract/link.js';
import { Budgets, type OutputPort } from './output.js';

const MASK = RING_BYTES - 1;

export class SharedOutput implements OutputPort {
  readonly stats: Float64Array;
  private budgets = new Budgets();
  /** This side's copy of the Head word: only the worker moves it. */
  private head: number;

  constructor(private link: SharedLink) {
    this.stats = link.stats;
    this.head = Atomics.load(link.words, LinkWord.Head);
  }

  begin(channels: number, budget: number): void {
    this.stats.fill(0);
    this.budgets.reset(channels, budget);
  }

  write(channel: number, src: Uint8Array, at: number, len: number): void {
    len = this.budgets.take(channel, len);
    while (len > 0) {
      const n = Math.min(len, MAX_RECORD - RECORD_HEADER);
      this.room(RECORD_HEADER + n);
      const header = ((channel << 24) | n) >>> 0;
      for (let i = 0; i < RECORD_HEADER; i++) this.link.ring[(this.head + i) & MASK] = (header >>> (8 * i)) & 0xff;
      this.put(src, at, n, (this.head + RECORD_HEADER) & MASK);
      this.head = (this.head + RECORD_HEADER + n) | 0;
      this.publish();
      at += n;
      len -= n;
    }
  }

  written(): void {} // each write is in the ring as soon as it is given

  end(): OutputChunk[] {
    return []; // everything is in the ring already
  }

  private put(src: Uint8Array, at: number, n: number, pos: number): void {
    const ring = this.link.ring;
    const first = Math.min(n, RING_BYTES - pos);
    ring.set(src.subarray(at, at + first), pos);
    if (first < n) ring.set(src.subarray(at + first, at + n), 0);
  }

  /** Moves Head, waking the host if it sleeps on it. */
  private publish(): void {
    const words = this.link.words;
    Atomics.store(words, LinkWord.Head, this.head);
    if (Atomics.load(words, LinkWord.HostWaiting) !== 0) {
      Atomics.store(words, LinkWord.HostWaiting, 0);
      Atomics.notify(words, LinkWord.Head);
    }
  }

  /** Waits until the ring has `need` free bytes. */
  private room(need: number): void {
    const words = this.link.words;
    for (;;) {
      const tail = Atomics.load(words, LinkWord.Tail);
      if (RING_BYTES - ((this.head - tail) >>> 0) >= need) return;
      Atomics.store(words, LinkWord.WriterWaiting, 1);
      this.publish(); // the host may not know there is anything to drain
      Atomics.wait(words, LinkWord.Tail, tail);
    }
  }
}
