// The worker's end of a message link, where no memory can be shared with the host (a page that is
// not cross-origin isolated). Output: each write call is sent at once as a message on the
// worker's own port, so that a guest that prints and then computes (or loops forever) has its
// output on the page; only a flood (thousands of writes a second) is batched, never for more than a
// millisecond — a run killed right after a flood may lose its last millisecond, the one thing the
// shared link does better. Input comes as messages on the port the host handed over; they are
// taken in only while the guest is suspended (JSPI), which is how a guest waits here.
import { type InputMessage, type LinkRecord, LIVE_WINDOW, MAX_CHANNELS, type OutputMessage, STAT_FIELDS } from '../contract/link.js';
import { RecordKind } from '../contract/ring.js';
import { Suspend, type Waiter } from '../kernel/blocking.js';
import { copyBytes } from '../kernel/memory.js';
import { Inbox } from './inbox.js';
import { Budgets, type WorkerLink } from './link.js';

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

export class MessageWorkerLink implements WorkerLink {
  readonly stats = new Float64Array(MAX_CHANNELS * STAT_FIELDS);
  readonly inbox = new Inbox();
  readonly waiter: Waiter;
  private budgets = new Budgets();
  private channels = 0;
  private block = new Uint8Array(BLOCK);
  private used = 0;
  /** [kind, channel, start, end] runs within the block, in order. */
  private runs: [RecordKind, number, number, number][] = [];
  private stagedAt = 0;
  private sentAt = 0;
  private windowStart = 0;
  private sentInWindow = 0;
  /** Per channel: bytes sent this run, and bytes the page has taken (a live sink's credit). */
  private sent: number[] = [];
  private acked: number[] = [];
  /** Counts input messages: a waiter's mark. */
  private arrivals = 0;
  private wake: (() => void) | null = null;
  private run = -1;

  constructor(
    private post: Post,
    input: MessagePort,
  ) {
    input.onmessage = (event: MessageEvent<InputMessage>) => this.receive(event.data);
    this.waiter = {
      canWait: true,
      stale: true,
      mark: () => this.arrivals,
      wait: (mark, deadline) => {
        this.flush(); // output staged in a flood must not wait with the guest
        if (this.arrivals !== mark) return;
        throw new Suspend(
          new Promise<void>((resolve) => {
            const ms = deadline - performance.now();
            const timer = ms === Infinity ? undefined : setTimeout(resolve, Math.max(0, ms));
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          }),
        );
      },
    };
  }

  begin(budgets: number[], run: number): void {
    this.run = run;
    this.channels = budgets.length;
    this.stats.fill(0, 0, this.channels * STAT_FIELDS);
    this.budgets.reset(budgets);
    this.sent = budgets.map(() => 0);
    this.acked = budgets.map(() => 0);
    this.inbox.reset();
    this.used = 0;
    this.runs = [];
    this.sentInWindow = 0;
  }

  write(channel: number, src: Uint8Array, at: number, len: number): void {
    len = this.budgets.take(channel, len);
    if (len === 0) return;
    this.sent[channel] += len;
    if (len > BLOCK - this.used) this.flush();
    if (len >= BLOCK) {
      const copy = src.slice(at, at + len);
      this.send([[RecordKind.Data, channel, copy]], [copy.buffer]);
      return;
    }
    this.stage(RecordKind.Data, channel, src, at, len);
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

  signal(kind: RecordKind.End | RecordKind.Want, channel: number): void {
    this.stage(kind, channel, this.block, 0, 0);
    this.flush();
  }

  room(channel: number, len: number): boolean {
    const inFlight = this.sent[channel] - this.acked[channel];
    return inFlight <= 0 || inFlight + len <= LIVE_WINDOW;
  }

  pump(): void {} // input messages are taken in by themselves, while the guest is suspended

  end(): LinkRecord[] {
    return this.take();
  }

  reply(): boolean {
    return false; // the reply is a message, behind the output messages
  }

  private receive(message: InputMessage): void {
    if (message.run !== this.run) return; // sent for a run that has ended
    for (const [kind, channel, bytes] of message.records) this.inbox.take(kind, channel, bytes);
    for (const [channel, taken] of message.acked) this.acked[channel] = taken;
    this.arrivals++;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private stage(kind: RecordKind, channel: number, src: Uint8Array, at: number, len: number): void {
    if (this.used === 0) this.stagedAt = performance.now();
    copyBytes(src, at, this.block, this.used, len);
    const last = this.runs[this.runs.length - 1];
    if (kind === RecordKind.Data && last && last[0] === kind && last[1] === channel && last[3] === this.used) last[3] += len;
    else this.runs.push([kind, channel, this.used, this.used + len]);
    this.used += len;
  }

  private flush(): void {
    const records = this.take();
    if (records.length > 0) this.send(records, [records[0][2].buffer as ArrayBuffer]);
  }

  private send(records: LinkRecord[], transfer: ArrayBuffer[]): void {
    this.sentInWindow++;
    this.sentAt = performance.now();
    this.post({ zerovm: 'output', records, stats: this.stats.slice(0, this.channels * STAT_FIELDS) }, transfer);
  }

  /** Hands over what is staged: a full block whole (and replaced), a little output copied out of it. */
  private take(): LinkRecord[] {
    if (this.runs.length === 0) return [];
    let sent: Uint8Array;
    if (this.used >= BLOCK / 4) {
      sent = this.block;
      this.block = new Uint8Array(BLOCK);
    } else sent = this.block.slice(0, this.used);
    const records = this.runs.map(([kind, channel, start, end]): LinkRecord => [kind, channel, sent.subarray(start, end)]);
    this.used = 0;
    this.runs = [];
    return records;
  }
}
