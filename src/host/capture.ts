// Output as it arrives from a VM: passed on to the listeners, and kept (up to a limit) for the
// report — decoded as it comes, so that a large output is text by the time the run ends.
import type { OutputChunk } from '../contract/link.js';

export type ChunkListener = (chunk: Uint8Array) => void;

/** Decodes chunks that end on a whole character, for every channel of every run. */
const whole = new TextDecoder();

/** One output channel's kept text: a streaming decoder, so a character split across chunks decodes whole. */
class KeptText {
  /** Made when a chunk may end inside a character: most output never needs one. */
  private decoder: TextDecoder | null = null;
  private parts: string[] = [];
  private done: string | null = null;
  bytes = 0;

  /** The last chunk may have ended inside a character, which the decoder then holds. */
  private open = false;

  add(bytes: Uint8Array): void {
    // Streaming decodes are several times slower in Node: used only where a character may be split.
    const last = bytes.length > 0 ? bytes[bytes.length - 1] : 0;
    const split = this.open || last >= 0x80;
    this.parts.push(split ? (this.decoder ??= new TextDecoder()).decode(bytes, { stream: true }) : whole.decode(bytes));
    this.open = last >= 0x80;
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
  private kept = new Map<number, KeptText>();

  constructor(
    private limit: number,
    private listeners: Map<number, ChunkListener[]>,
  ) {}

  push(chunks: OutputChunk[]): void {
    for (const [channel, bytes] of chunks) {
      const listeners = this.listeners.get(channel);
      if (listeners) for (const listener of listeners) listener(bytes);
      let kept = this.kept.get(channel);
      if (!kept) this.kept.set(channel, (kept = new KeptText()));
      const room = this.limit - kept.bytes;
      if (room <= 0) continue;
      kept.add(bytes.length <= room ? bytes : bytes.subarray(0, room));
    }
  }

  /** What was kept of channel `channel`'s output, UTF-8 decoded. */
  text(channel: number): string {
    return this.kept.get(channel)?.text() ?? '';
  }
}
