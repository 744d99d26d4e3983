// Where a worker puts a guest's output as it is written: the OutputPort of the worker's link
// (see contract/link.ts). Past its budget a channel's output is dropped here, so that a flood never
// reaches the page (the channel still counts and hashes it).
import type { OutputChunk } from '../contract/link.js';

export interface OutputPort {
  /**
   * Every channel's stats for the run, STAT_FIELDS numbers each: the kernel counts into it, and
   * the host reads it (live from the shared block, or as copies riding with the output).
   */
  readonly stats: Float64Array;
  /** Starts a run of `channels` channels, each of which may send `budget` bytes. */
  begin(channels: number, budget: number): void;
  /** Takes `len` bytes of `src` (guest memory) from `at`, for channel `channel`: copied now. */
  write(channel: number, src: Uint8Array, at: number, len: number): void;
  /** One write call's bytes are all given (its iovecs, one write() each). */
  written(): void;
  /** The run is over: returns what is left to send, to ride with the result (in order after all sent). */
  end(): OutputChunk[];
}

/** Per-channel byte budgets: what each channel may still send this run. */
export class Budgets {
  private left: number[] = [];

  reset(channels: number, budget: number): void {
    this.left.length = channels;
    this.left.fill(budget);
  }

  /** How many of `len` bytes channel `channel` may send (and takes them). */
  take(channel: number, len: number): number {
    const left = this.left[channel] ?? 0;
    if (len > left) len = left;
    this.left[channel] = left - len;
    return len;
  }
}
