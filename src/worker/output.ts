// Guest output, batched: copied out of guest memory into one staging block and sent in batches
// (when the block fills or some ms have passed), not a message per write. Past its budget a
// channel's output is dropped here, so that a flood never reaches the page.
import type { OutputChunk } from '../contract/protocol.js';

const BLOCK = 64 * 1024;

export class OutputBatcher {
  private block = new Uint8Array(BLOCK);
  private used = 0;
  /** [fd, start, end] runs within the block, in write order. */
  private runs: [1 | 2, number, number][] = [];
  private lastSend = performance.now();

  /** Bytes each channel (stdout, stderr) may still send. */
  private budget: [number, number];

  constructor(
    private send: (chunks: OutputChunk[], transfer: ArrayBuffer) => void,
    budget: number,
    private maxDelayMs = 20,
  ) {
    this.budget = [budget, budget];
  }

  write(fd: 1 | 2, bytes: Uint8Array): void {
    const left = this.budget[fd - 1];
    if (left <= 0) return;
    if (bytes.length > left) bytes = bytes.subarray(0, left);
    this.budget[fd - 1] = left - bytes.length;
    if (bytes.length > BLOCK - this.used) this.flush();
    if (bytes.length >= BLOCK) {
      const copy = bytes.slice();
      this.send([[fd, copy]], copy.buffer);
    } else {
      this.block.set(bytes, this.used);
      const last = this.runs[this.runs.length - 1];
      if (last && last[0] === fd && last[2] === this.used) last[2] += bytes.length;
      else this.runs.push([fd, this.used, this.used + bytes.length]);
      this.used += bytes.length;
    }
    if (performance.now() - this.lastSend > this.maxDelayMs) this.flush();
  }

  /** Sends what is staged now. */
  flush(): void {
    const chunks = this.take();
    if (chunks.length > 0) this.send(chunks, chunks[0][1].buffer as ArrayBuffer);
  }

  /** Hands over what is staged without sending it (it rides with the result instead). */
  take(): OutputChunk[] {
    this.lastSend = performance.now();
    if (this.used === 0) return [];
    const sent = this.block.slice(0, this.used);
    const chunks = this.runs.map(([fd, start, end]): OutputChunk => [fd, sent.subarray(start, end)]);
    this.used = 0;
    this.runs = [];
    return chunks;
  }
}
