// Output as it arrives from a VM: passed on to the listeners, and kept (up to a limit) for the report.
import type { OutputChunk } from '../contract/protocol.js';

export type ChunkListener = (chunk: Uint8Array) => void;

export class OutputCapture {
  private kept: [Uint8Array[], Uint8Array[]] = [[], []];
  private keptBytes = [0, 0];

  constructor(
    private limit: number,
    private listeners: [ChunkListener[], ChunkListener[]],
  ) {}

  push(chunks: OutputChunk[]): void {
    for (const [fd, bytes] of chunks) {
      const i = fd - 1;
      for (const listener of this.listeners[i]) listener(bytes);
      const room = this.limit - this.keptBytes[i];
      if (room <= 0) continue;
      const part = bytes.length <= room ? bytes : bytes.subarray(0, room);
      this.kept[i].push(part);
      this.keptBytes[i] += part.length;
    }
  }

  /** What was kept of stdout (fd 1) or stderr (fd 2), UTF-8 decoded. */
  text(fd: 1 | 2): string {
    const parts = this.kept[fd - 1];
    if (parts.length === 1) return new TextDecoder().decode(parts[0]);
    const all = new Uint8Array(this.keptBytes[fd - 1]);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder().decode(all);
  }
}
