// A ring of records in shared memory, one writer and one reader on different threads: the wire
// format of the shared link, both ways. Head and tail are byte counters in two Int32 words
// (wrapping at 2^32, which the power-of-two size divides); a record is a u32 header — its kind,
// its channel and its length — then its bytes, which may wrap around the end. Who waits for
// whom, and how, is the caller's business: this only moves bytes.

/** What a record says. */
export const enum RecordKind {
  /** Bytes of a channel. */
  Data = 0,
  /** Output: a call channel's request is complete. Input: a stream ended, or a call's reply did. */
  End = 1,
  /** Output: the guest waits to read this input channel (or the reply of this call channel). */
  Want = 2,
  /** Input: the page's end of this channel failed (a stream that errored, a page function that threw). */
  Fail = 3,
}

export const RECORD_HEADER = 4;
const LENGTH_MASK = 0xffffff;

export interface RingRecord {
  kind: RecordKind;
  channel: number;
  bytes: Uint8Array;
}

export class Ring {
  private readonly mask: number;
  /** The largest record payload: a quarter of the ring, so that a full ring never wedges a writer. */
  readonly maxRecord: number;

  constructor(
    private words: Int32Array,
    private headWord: number,
    private tailWord: number,
    readonly data: Uint8Array,
  ) {
    this.mask = data.length - 1;
    this.maxRecord = Math.min(LENGTH_MASK, data.length >>> 2) - RECORD_HEADER;
  }

  /** Bytes free for writing. */
  free(): number {
    return this.data.length - ((Atomics.load(this.words, this.headWord) - Atomics.load(this.words, this.tailWord)) >>> 0);
  }

  /** Whether the reader has something to take. */
  pending(): boolean {
    return Atomics.load(this.words, this.headWord) !== Atomics.load(this.words, this.tailWord);
  }

  /** The current tail, for a reader that waits on it. */
  tail(): number {
    return Atomics.load(this.words, this.tailWord);
  }

  /**
   * Writes one record if it fits (`len` ≤ maxRecord) and returns true; false when the ring is too
   * full now. The record is visible to the reader once this returns (Head moves last).
   */
  put(kind: RecordKind, channel: number, src: Uint8Array, at: number, len: number): boolean {
    if (this.free() < RECORD_HEADER + len) return false;
    const head = Atomics.load(this.words, this.headWord);
    const header = ((kind << 30) | (channel << 24) | len) >>> 0;
    const data = this.data;
    for (let i = 0; i < RECORD_HEADER; i++) data[(head + i) & this.mask] = (header >>> (8 * i)) & 0xff;
    const pos = (head + RECORD_HEADER) & this.mask;
    const first = Math.min(len, data.length - pos);
    data.set(src.subarray(at, at + first), pos);
    if (first < len) data.set(src.subarray(at + first, at + len), 0);
    Atomics.store(this.words, this.headWord, (head + RECORD_HEADER + len) | 0);
    return true;
  }

  /** Takes every record there, copied out in one piece (records are views of it). */
  take(): RingRecord[] {
    const head = Atomics.load(this.words, this.headWord);
    const tail = Atomics.load(this.words, this.tailWord);
    const size = (head - tail) >>> 0;
    if (size === 0) return [];
    const bytes = new Uint8Array(size);
    const start = tail & this.mask;
    const first = Math.min(size, this.data.length - start);
    bytes.set(this.data.subarray(start, start + first));
    if (first < size) bytes.set(this.data.subarray(0, size - first), first);
    Atomics.store(this.words, this.tailWord, head);
    const view = new DataView(bytes.buffer);
    const records: RingRecord[] = [];
    for (let at = 0; at < size; ) {
      const header = view.getUint32(at, true);
      const len = header & LENGTH_MASK;
      records.push({ kind: header >>> 30, channel: (header >>> 24) & 0x3f, bytes: bytes.subarray(at + RECORD_HEADER, at + RECORD_HEADER + len) });
      at += RECORD_HEADER + len;
    }
    return records;
  }
}
