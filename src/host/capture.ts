// Output as it arrives from a VM: passed on to the listeners, and kept (up to a limit) for the
// report — decoded as it comes, so that a large output is text by the time the run ends.
import type { OutputChunk } from '../contract/protocol.js';

export type ChunkListener = (chunk: Uint8Array) => void;

/** One output channel's kept text: a streaming decoder, so a character split across chunks decodes whole. */
class KeptText {
  private decoder: TextDecoder | null = null; // made at the first byte: many runs write nothing to stderr
  private parts: string[] = [];
  private done: string | null = null;
  bytes = 0;

  add(bytes: Uint8Array): void {
    this.parts.push((this.decoder ??= new TextDecoder()).decode(bytes, { stream: true }));
    this.bytes += bytes.length;
  }

  text(): string {
    if (this.done === null) {
      // Joined with +, which V8 keeps as a rope: a large output is only flattened if it is read.
      let text = '';
      for (const part of this.parts) text += part;
      this.done = text + (this.decoder?.decode() ?? '');
      this.parts = [];
    }
    return this.done;
  }
}

export class OutputCapture {
  private kept = [new KeptText(), new KeptText()];

  constructor(
    private limit: number,
    private listeners: [ChunkListener[], ChunkListener[]],
  ) {}

  push(chunks: OutputChunk[]): void {
    for (const [fd, bytes] of chunks) {
      const i = fd - 1;
      for (const listener of this.listeners[i]) listener(bytes);
      const kept = this.kept[i];
      const room = this.limit - kept.bytes;
      if (room <= 0) continue;
      kept.add(bytes.length <= room ? bytes : bytes.subarray(0, room));
    }
  }

  /** What was kept of stdout (fd 1) or stderr (fd 2), UTF-8 decoded. */
  text(fd: 1 | 2): string {
    return this.kept[fd - 1].text();
  }
}
