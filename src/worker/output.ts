// Guest output, batched: copied out of guest memory into one staging block and sent in batches
// (when the block fills or some ms have passed), not a message per write. Past its budget a
// channel's output is dropped here, so that a flood never reaches the page. One per worker: the
// block is reused run after run (what is sent is a copy).
import type { OutputChunk } from '../contract/protocol.js';
import { copyBytes } from '../kernel/memory.js';

/** Staged output is sent when this much has gathered (or some ms have passed): few messages for a flood. */
const BLOCK = 1 << 20;

export class OutputBatcher {
  private block = new Uint8Array(BLOCK);
  private used = 0;
  /** [fd, start, end] runs within the block, in write order. */
  private runs: [1 | 2, number, number][] = [];
  private lastSend = performance.now();

  /** Bytes each channel (stdout, stderr) may still send. */
  private budget: [number, number] = [0, 0];
  /** Whether this run has sent anything yet. */
  streamed = false;

  constructor(
    private send: (chunks: OutputChunk[], transfer: ArrayBuffer) => void,
    private maxDelayMs = 20,
  ) {}

  /** Starts a run: nothing staged, `budget` bytes for each channel. */
  begin(budget: number): void {
    this.used = 0;
    this.runs = [];
    this.budget = [budget, budget];
    this.streamed = false;
    this.lastSend = performance.now();
  }

  /** Takes `len` bytes of `src` (guest memory) from `at`: copied now, sent later. */
  write(fd: 1 | 2, src: Uint8Array, at: number, len: number): void {
    const left = this.budget[fd - 1];
    if (left <= 0) return;
    if (len > left) len = left;
    this.budget[fd - 1] = left - len;
    if (len > BLOCK - this.used) this.flush();
    if (len >= BLOCK) {
      const copy = src.slice(at, at + len);
      this.streamed = true;
      this.send([[fd, copy]], copy.buffer);
    } else {
      copyBytes(src, at, this.block, this.used, len);
      const last = this.runs[this.runs.length - 1];
      if (last && last[0] === fd && last[2] === this.used) last[2] += len;
      else this.runs.push([fd, this.used, this.used + len]);
      this.used += len;
    }
    if (performance.now() - this.lastSend > this.maxDelayMs) this.flush();
  }

  /** Sends what is staged now. */
  flush(): void {
    const chunks = this.take();
    if (chunks.length > 0) {
      this.streamed = true;
      this.send(chunks, chunks[0][1].buffer as ArrayBuffer);
    }
  }

  /** Hands over what is staged without sending it (it rides with the result instead). */
  take(): OutputChunk[] {
    this.lastSend = performance.now();
    if (this.used === 0) return [];
    // A full block is handed over whole (and replaced); a little output is copied out of it.
    let sent: Uint8Array;
    if (this.used >= BLOCK / 4) {
      sent = this.block;
      this.block = new Uint8Array(BLOCK);
    } else sent = this.block.slice(0, this.used);
    const chunks = this.runs.map(([fd, start, end]): OutputChunk => [fd, sent.subarray(start, end)]);
    this.used = 0;
    this.runs = [];
    return chunks;
  }
}
