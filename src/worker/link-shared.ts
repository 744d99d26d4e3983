// The worker's end of a shared link: output goes straight into the output ring, where the host can
// read it while the guest runs and after the worker is terminated; input comes through the input
// ring; a guest that waits sleeps on Atomics.wait until the host rings its bell. A full output
// ring blocks the guest too, until the host drains it: bounded memory, never a lost byte.
import { LinkWord, LIVE_WINDOW, type LinkRecord, type SharedLink } from '../contract/link.js';
import { pack } from '../contract/packed.js';
import type { RunReply } from '../contract/protocol.js';
import { RecordKind } from '../contract/ring.js';
import type { Waiter } from '../kernel/blocking.js';
import { Inbox } from './inbox.js';
import { Budgets, type WorkerLink } from './link.js';

export class SharedWorkerLink implements WorkerLink {
  readonly stats: Float64Array;
  readonly inbox = new Inbox();
  readonly waiter: Waiter;
  private budgets = new Budgets();
  /** Bytes each channel has sent this run (live sinks: against their credit). */
  private sent: number[] = [];

  constructor(private link: SharedLink) {
    this.stats = link.stats;
    const words = link.words;
    this.waiter = {
      canWait: true,
      stale: false,
      mark: () => Atomics.load(words, LinkWord.WorkerBell),
      wait: (mark, deadline) => {
        const ms = deadline - performance.now();
        if (ms <= 0) return;
        this.wakeHost(); // what the guest wrote before it waits is on the page now, not after
        Atomics.wait(words, LinkWord.WorkerBell, mark, ms === Infinity ? undefined : ms);
      },
    };
  }

  begin(budgets: number[]): void {
    this.link.in.take(); // input left over from a run that has ended
    this.stats.fill(0);
    this.budgets.reset(budgets);
    this.sent = budgets.map(() => 0);
    this.inbox.reset();
  }

  write(channel: number, src: Uint8Array, at: number, len: number): void {
    len = this.budgets.take(channel, len);
    this.sent[channel] += len;
    const out = this.link.out;
    while (len > 0) {
      const n = Math.min(len, out.maxRecord);
      this.put(RecordKind.Data, channel, src, at, n);
      at += n;
      len -= n;
    }
  }

  written(): void {} // each write is in the ring as soon as it is given

  signal(kind: RecordKind.End | RecordKind.Want, channel: number): void {
    this.put(kind, channel, EMPTY, 0, 0);
  }

  room(channel: number, len: number): boolean {
    const inFlight = this.sent[channel] - this.link.acked[channel];
    return inFlight <= 0 || inFlight + len <= LIVE_WINDOW;
  }

  pump(): void {
    if (!this.link.in.pending()) return;
    for (const { kind, channel, bytes } of this.link.in.take()) this.inbox.take(kind, channel, bytes);
    const words = this.link.words;
    if (Atomics.load(words, LinkWord.HostWantsRoom) !== 0) {
      Atomics.store(words, LinkWord.HostWantsRoom, 0);
      this.wakeHost(); // the host has more input waiting for the room just made
    }
  }

  end(): LinkRecord[] {
    return []; // everything is in the ring already
  }

  reply(message: RunReply): boolean {
    // An engine without waitAsync has its host look at the bell every few ms: a message is sooner.
    if (typeof Atomics.waitAsync !== 'function') return false;
    const size = pack(message, this.link.box);
    if (size === 0) return false; // too big for the box, or holds what only a message carries
    Atomics.store(this.link.words, LinkWord.ResultBytes, size);
    this.wakeHost();
    return true;
  }

  /** One record into the output ring, waiting for the host to drain a full ring. */
  private put(kind: RecordKind, channel: number, src: Uint8Array, at: number, len: number): void {
    const { out, words } = this.link;
    while (!out.put(kind, channel, src, at, len)) {
      const tail = out.tail();
      this.wakeHost(); // the host may not know there is anything to drain
      Atomics.wait(words, LinkWord.OutTail, tail);
    }
    // A run's first output waits for its result (one message, not a wake-up per write), unless the
    // host has looked in (the run is taking a while) or the guest waits (see waiter.wait).
    if (Atomics.load(words, LinkWord.HostEager) !== 0) this.wakeHost();
    else Atomics.add(words, LinkWord.HostBell, 1);
  }

  /**
   * Rings the host's bell, waking it if it sleeps on it. The bell moves on every ring, wake or not,
   * and only the host clears HostWaiting (when it wakes): a ring between the host's look at the
   * bell and its wait either changed the bell (its wait returns at once) or finds it waiting.
   * (When this side cleared it, a wake-up sent just before the host's wait was lost, and with it
   * every later one: a live sink's run hung.)
   */
  private wakeHost(): void {
    const words = this.link.words;
    Atomics.add(words, LinkWord.HostBell, 1);
    if (Atomics.load(words, LinkWord.HostWaiting) !== 0) Atomics.notify(words, LinkWord.HostBell);
  }
}

const EMPTY = new Uint8Array(0);
