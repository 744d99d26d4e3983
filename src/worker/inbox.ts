// A run's input as it arrives for its live channels: per channel, the bytes in order and the ends
// between them — a stream's end (sticky: every read after it returns 0), or the end of one reply
// of a call channel (taken by the read that reaches it). Fed by the link, read by the backings.
// A channel whose page end failed fails every read and write from then on (EIO, EPIPE).
import { Errno } from '../kernel/abi.js';
import { RecordKind } from '../contract/ring.js';
import { WOULD_BLOCK } from '../kernel/blocking.js';
import { fail } from '../kernel/errors.js';

const END = null;
type Item = Uint8Array | typeof END;

class Queue {
  items: Item[] = [];
  /** Bytes of items[0] already read. */
  offset = 0;
  failed = false;
}

export class Inbox {
  private queues: Queue[] = [];

  /** A run starts: nothing has come. */
  reset(): void {
    this.queues = [];
  }

  /** An input record from the link. */
  take(kind: RecordKind, channel: number, bytes: Uint8Array): void {
    if (kind === RecordKind.End) this.end(channel);
    else if (kind === RecordKind.Fail) this.fail(channel);
    else this.push(channel, bytes);
  }

  push(channel: number, bytes: Uint8Array): void {
    if (bytes.length > 0) this.queue(channel).items.push(bytes);
  }

  end(channel: number): void {
    this.queue(channel).items.push(END);
  }

  /** The page's end of `channel` failed. */
  fail(channel: number): void {
    this.queue(channel).failed = true;
  }

  /** EPIPE (a sink) or EIO (a source) once the page's end has failed. */
  check(channel: number, errno: Errno.PIPE | Errno.IO): void {
    if (this.queue(channel).failed) fail(errno);
  }

  /** Copies up to `len` bytes into `dst` at `at`: how many, 0 at an end, WOULD_BLOCK when nothing has come. */
  read(channel: number, dst: Uint8Array, at: number, len: number): number {
    const q = this.queue(channel);
    if (q.failed) fail(Errno.IO);
    let done = 0;
    while (done < len && q.items.length > 0) {
      const head = q.items[0];
      if (head === END) break;
      const n = Math.min(len - done, head.length - q.offset);
      dst.set(head.subarray(q.offset, q.offset + n), at + done);
      done += n;
      q.offset += n;
      if (q.offset === head.length) {
        q.items.shift();
        q.offset = 0;
      }
    }
    if (done > 0) return done;
    return q.items.length > 0 ? 0 : WOULD_BLOCK;
  }

  /** Whether the next thing to read is an end. */
  atEnd(channel: number): boolean {
    const q = this.queue(channel);
    return q.items.length > 0 && q.items[0] === END;
  }

  /** Takes the end that is next (a call's reply is over: the next request starts afresh). */
  takeEnd(channel: number): void {
    if (this.atEnd(channel)) this.queue(channel).items.shift();
  }

  /** Drops everything up to and including the next end; false when that end has not come yet (what came is dropped). */
  skipToEnd(channel: number): boolean {
    const q = this.queue(channel);
    q.offset = 0;
    while (q.items.length > 0) if (q.items.shift() === END) return true;
    return false;
  }

  /** Bytes readable before the next end. */
  available(channel: number): number {
    const q = this.queue(channel);
    let n = -q.offset;
    for (const item of q.items) {
      if (item === END) break;
      n += item.length;
    }
    return Math.max(0, n);
  }

  /** Whether anything (bytes, an end, a failure) is there to read. */
  ready(channel: number): boolean {
    const q = this.queue(channel);
    return q.failed || q.items.length > 0;
  }

  private queue(channel: number): Queue {
    return (this.queues[channel] ??= new Queue());
  }
}
