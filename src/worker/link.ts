// The worker's end of its link to the host (see contract/link.ts): where a guest's output goes as
// it is written, where input for its live channels comes from, and how a call that must wait
// waits. Past its budget a capture channel's output is dropped here, so that a flood never
// reaches the page (the channel still counts and hashes it).
import type { LinkRecord } from '../contract/link.js';
import type { RunReply } from '../contract/protocol.js';
import type { RecordKind } from '../contract/ring.js';
import type { Waiter } from '../kernel/blocking.js';
import type { Inbox } from './inbox.js';

export interface WorkerLink {
  /**
   * Every channel's stats for the run, STAT_FIELDS numbers each: the kernel counts into it, and
   * the host reads it (live from the shared block, or as copies riding with the output).
   */
  readonly stats: Float64Array;
  /** Input that has come for the live channels. */
  readonly inbox: Inbox;
  /** How a call of a guest with live channels waits. */
  readonly waiter: Waiter;
  /** Starts run number `run`: what each channel may send (Infinity for live sinks and call requests). */
  begin(budgets: number[], run: number): void;
  /** Takes `len` bytes of `src` (guest memory) from `at`, for channel `channel`: copied now. */
  write(channel: number, src: Uint8Array, at: number, len: number): void;
  /** One write call's bytes are all given (its iovecs, one write() each). */
  written(): void;
  /** Tells the host: a call request is complete (End), or the guest waits for input on a channel (Want). */
  signal(kind: RecordKind.End | RecordKind.Want, channel: number): void;
  /** A live sink's credit: whether `len` more bytes may go now (the page has taken enough of the rest). */
  room(channel: number, len: number): boolean;
  /** Takes in input that has come. */
  pump(): void;
  /** The run is over: what is left to send, to ride with the result (after all that was sent). */
  end(): LinkRecord[];
  /** Sends a run's reply through the link, after all its output: false when it must go as a message. */
  reply(message: RunReply): boolean;
}

/** Per-channel byte budgets: what each channel may still send this run. */
export class Budgets {
  private left: number[] = [];

  reset(budgets: number[]): void {
    this.left = [...budgets];
  }

  /** How many of `len` bytes channel `channel` may send (and takes them). */
  take(channel: number, len: number): number {
    const left = this.left[channel] ?? 0;
    if (len > left) len = left;
    this.left[channel] = left - len;
    return len;
  }
}
