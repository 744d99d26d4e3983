// Output as messages on the worker's port, where no memory can be shared with the host (a page
// that is not cross-origin isolated). Each write call is sent at once, so that a guest that prints
// and then computes (or loops forever) has its output on the page; only a flood (thousands of
// writes a second) is batched, and then never for more than a millisecond: a run killed right
// after a flood may lose the last millisecond of it — the one thing the shared link does better.
import { type OutputChunk, type OutputMessage, MAX_CHANNELS, STAT_FIELDS } from '../contract/link.js';
import { copyBytes } from '../kernel/memory.js';
import { Budgets, type OutputPort } from './output.js';

/** Staging block: a write call's iovecs, or a flood's many writes, in one message. */
const BLOCK = 1 << 20;
/** Write calls are sent one message each while fewer than this many were sent in the last WINDOW_MS... */
const FLOOD_MESSAGES = 256;
const WINDOW_MS = 16;
/** ...past which output is batched, and sent once it is this old (at the next write) or the block is full. */
const MAX_DELAY_MS = 1;
/** Past its budget a channel sends no bytes, but its stats still reach the host this often. */
const STATS_EVERY_MS = 16;

export type Post = (message: OutputMessage, transfer: ArrayBuffer[]) => void;

export class MessageOutput implements OutputPort {
  readonly stats = new Float64Array(MAX_CHANNELS * STAT_FIELDS);
  private budgets = new Budgets();
  private channels = 0;
  private block = new Uint8Array(BLOCK);
  private used = 0;
  /** [channel, start, end] runs within the block, in write order. */
  private runs: [number, number, number][] = [];
  private stagedAt = 0;
  private sentAt = 0;
  private windowStart = 0;
  private sentInWindow = 0;

  constructor(private post: Post) {}

  begin(channels: number, budget: number): void {
    this.channels = channels;
    this.stats.fill(0, 0, channels * STAT_FIELDS);
    this.budgets.reset(channels, budget);
    this.used = 0;
    this.runs = [];
    this.sentInWindow = 0;
  }

  write(channel: number, src: Uint8Array, at: number, len: number): void {
    len = this.budgets.take(channel, len);
    if (len === 0) return;
    if (len > BLOCK - this.used) this.flush();
    if (len >= BLOCK) {
      const copy = src.slice(at, at + len);
      this.send([[channel, copy]], [copy.buffer]);
      return;
    }
    if (this.used === 0) this.stagedAt = performance.now();
    copyBytes(src, at, this.block, this.used, len);
    const last = this.runs[this.runs.length - 1];
    if (last && last[0] === channel && last[2] === this.used) last[2] += len;
    else this.runs.push([channel, this.used, this.used + len]);
    this.used += len;
  }

  written(): void {
    const now = performance.now();
    if (this.used === 0) {
      // Nothing to send (past the budget): the stats alone, now and then, so a kill finds them fresh.
      if (now - this.sentAt >= STATS_EVERY_MS) this.send([], []);
      return;
    }
    if (now - this.windowStart > WINDOW_MS) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    if (this.sentInWindow < FLOOD_MESSAGES || now - this.stagedAt >= MAX_DELAY_MS) this.flush();
  }

  end(): OutputChunk[] {
    return this.take();
  }

  private flush(): void {
    const chunks = this.take();
    if (chunks.length > 0) this.send(chunks, [chunks[0][1].buffer as ArrayBuffer]);
  }

  private send(chunks: OutputChunk[], transfer: ArrayBuffer[]): void {
    this.sentInWindow++;
    this.sentAt = performance.now();
    this.post({ zerovm: 'output', chunks, stats: this.stats.slice(0, this.channels * STAT_FIELDS) }, transfer);
  }

  /** Hands over what is staged: a full block whole (and replaced), a little output copied out of it. */
  private take(): OutputChunk[] {
    if (this.used === 0) return [];
    let sent: Uint8Array;
    if (this.used >= BLOCK / 4) {
      sent = this.block;
      this.block = new Uint8Array(BLOCK);
    } else sent = this.block.slice(0, this.used);
    const chunks = this.runs.map(([channel, start, end]): OutputChunk => [channel, sent.subarray(start, end)]);
    this.used = 0;
    this.runs = [];
    return chunks;
  }
}
