// A regular file's bytes, and the budget every file of a VM shares. Past its first 1 MiB a file
// is a list of 1 MiB chunks, so growing a large file never copies what it already holds; and
// the budget (ENOSPC past it) keeps a guest from filling the worker's memory with files.
import { Errno } from '../abi.js';
import { fail } from '../errors.js';

export const CHUNK = 1 << 20;

/** Largest file the kernel will hold: a guest asking for more gets EFBIG, not a host crash. */
export const MAX_FILE_BYTES = 2 ** 31;

/**
 * The bytes of file data a VM may still allocate: ENOSPC past the VM's budget (limits.memory), or,
 * for a volume's own budget (limits.volumeBytes), EDQUOT — which also draws on the VM's.
 */
export class FileBudget {
  constructor(
    private left: number,
    private errno: Errno.NOSPC | Errno.DQUOT = Errno.NOSPC,
    private parent: FileBudget | null = null,
  ) {}

  /** Takes `n` bytes; fails (its errno, or the parent's) when fewer are left, having taken nothing. */
  take(n: number): void {
    if (n > this.left) fail(this.errno);
    this.parent?.take(n);
    this.left -= n;
  }

  /** Counts bytes the VM was given (its image) whether or not they fit: they are there already. */
  charge(n: number): void {
    this.parent?.charge(n);
    this.left -= n;
  }

  give(n: number): void {
    this.parent?.give(n);
    this.left += n;
  }
}

const EMPTY = new Uint8Array(0);

export class FileBytes {
  /**
   * Chunk i holds bytes [i·CHUNK, (i+1)·CHUNK). Only a file of one chunk may have it shorter than
   * CHUNK (its capacity, grown by doubling); the last chunk of an image may be short too.
   * Every byte at or past `size` is zero.
   */
  private chunks: Uint8Array[] = [];
  private capacity = 0;
  size = 0;
  /** The chunks are views of the image's own bytes: copied before the first change, so the image is never written. */
  private borrowed = false;
  /** Its bytes are still with the host (a volume file not opened yet): only its size is known. */
  private awaited = false;

  constructor(
    private budget: FileBudget,
    image?: Uint8Array,
  ) {
    if (!image || image.length === 0) return;
    budget.charge(image.length);
    for (let at = 0; at < image.length; at += CHUNK) this.chunks.push(image.subarray(at, Math.min(image.length, at + CHUNK)));
    this.capacity = this.size = image.length;
    this.borrowed = true;
  }

  /** Bytes of `size` that the host keeps until they are first needed, then given by fill(). */
  static awaiting(budget: FileBudget, size: number): FileBytes {
    const bytes = new FileBytes(budget);
    budget.charge(size);
    bytes.capacity = bytes.size = size;
    bytes.borrowed = bytes.awaited = true;
    return bytes;
  }

  /** Whether its bytes are still to come (see awaiting()). */
  get missing(): boolean {
    return this.awaited;
  }

  /** The awaited bytes, come: the file's image from now on. */
  fill(image: Uint8Array): void {
    if (!this.awaited || image.length !== this.size) throw new Error(`a volume file's bytes came ${image.length} long, not ${this.size}`);
    for (let at = 0; at < image.length; at += CHUNK) this.chunks.push(image.subarray(at, Math.min(image.length, at + CHUNK)));
    this.awaited = false;
  }

  /** Whether every byte is still the image's: the file was never changed. */
  get borrowedWhole(): boolean {
    return this.borrowed;
  }

  /** Copies up to `len` bytes from `pos` into `dst` at `at`; returns how many (0 at the end). */
  read(dst: Uint8Array, at: number, pos: number, len: number): number {
    if (this.awaited) throw new Error("a volume file's bytes were read before they came");
    const end = Math.min(this.size, pos + len);
    let done = 0;
    while (pos < end) {
      const chunk = this.chunks[Math.floor(pos / CHUNK)];
      const from = pos % CHUNK;
      const n = Math.min(end - pos, chunk.length - from);
      dst.set(chunk.subarray(from, from + n), at + done);
      pos += n;
      done += n;
    }
    return done;
  }

  /** Copies `len` bytes of `src` from `at` into the file at `pos`, growing it as needed. */
  write(src: Uint8Array, at: number, pos: number, len: number): void {
    this.reserve(pos + len);
    for (let done = 0; done < len; ) {
      const chunk = this.chunks[Math.floor(pos / CHUNK)];
      const to = pos % CHUNK;
      const n = Math.min(len - done, chunk.length - to);
      chunk.set(src.subarray(at + done, at + done + n), to);
      pos += n;
      done += n;
    }
    if (pos > this.size) this.size = pos;
  }

  /** Sets the size: bytes past the old end read as zeros; chunks past the new end are given back. */
  resize(size: number): void {
    if (size > MAX_FILE_BYTES) fail(Errno.FBIG);
    if (size === 0 && this.awaited) return this.free(); // truncated on open: the bytes were never needed
    if (size >= this.size) {
      this.reserve(size);
      this.size = size;
      return;
    }
    this.own();
    const keep = Math.max(1, Math.ceil(size / CHUNK));
    while (this.chunks.length > keep) {
      const dropped = this.chunks.pop()!;
      this.capacity -= dropped.length;
      this.budget.give(dropped.length);
    }
    this.chunks[0]?.fill(0, size, Math.min(this.size, this.chunks[0].length));
    const last = this.chunks.length - 1;
    if (last > 0) this.chunks[last].fill(0, size - last * CHUNK);
    this.size = size;
  }

  /** Gives every byte back (the file is gone: no name and no descriptor left). */
  free(): void {
    this.budget.give(this.borrowed ? this.size : this.capacity);
    this.chunks = [];
    this.capacity = this.size = 0;
    this.borrowed = this.awaited = false;
  }

  /** Room for `end` bytes, all of it this file's own (EFBIG, ENOSPC before anything changes). */
  reserve(end: number): void {
    if (end > MAX_FILE_BYTES) fail(Errno.FBIG);
    this.own();
    if (end <= this.capacity) return;
    if (end <= CHUNK && this.chunks.length <= 1) {
      this.grow(Math.min(CHUNK, Math.max(end, this.capacity * 2, 256)));
      return;
    }
    if (this.chunks.length === 1 && this.capacity < CHUNK) this.grow(CHUNK);
    const more = Math.ceil((end - this.capacity) / CHUNK);
    this.budget.take(more * CHUNK);
    for (let i = 0; i < more; i++) this.chunks.push(new Uint8Array(CHUNK));
    this.capacity += more * CHUNK;
  }

  /** Makes the only chunk `bytes` long (a file of at most one chunk). */
  private grow(bytes: number): void {
    this.budget.take(bytes - this.capacity);
    const grown = new Uint8Array(bytes);
    grown.set((this.chunks[0] ?? EMPTY).subarray(0, this.size));
    this.chunks = [grown];
    this.capacity = bytes;
  }

  /** Copies borrowed image bytes into chunks of the file's own (whole chunks, past the first). */
  private own(): void {
    if (!this.borrowed) return;
    if (this.awaited) throw new Error("a volume file's bytes were used before they came");
    const whole = this.chunks.length > 1 ? this.chunks.length * CHUNK : this.capacity;
    this.budget.take(whole - this.size); // the image's bytes were counted when it was given
    this.chunks = this.chunks.map((chunk) => {
      const mine = new Uint8Array(this.chunks.length > 1 ? CHUNK : chunk.length);
      mine.set(chunk);
      return mine;
    });
    this.capacity = whole;
    this.borrowed = false;
  }
}
