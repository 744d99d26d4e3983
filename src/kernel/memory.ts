// The guest's linear memory, seen from the kernel. Every pointer the guest hands over passes
// through check(): a region that does not lie wholly inside memory is EFAULT, never a host
// exception. The views are made once and only remade when memory has grown (its buffer changed).
import { Errno } from './abi.js';
import { fail } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export class GuestMemory {
  u8 = new Uint8Array(0);
  view = new DataView(this.u8.buffer);
  private memory: WebAssembly.Memory | null = null;
  private buffer: ArrayBuffer | null = null;

  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.refresh();
  }

  /** Called on entry to every syscall: memory may have grown since the last one. */
  refresh(): void {
    const buffer = this.memory?.buffer;
    if (buffer !== this.buffer && buffer) {
      this.buffer = buffer;
      this.u8 = new Uint8Array(buffer);
      this.view = new DataView(buffer);
    }
  }

  /** The guest's (u32) pointer, once [ptr, ptr + len) is known to lie inside memory; else EFAULT. */
  check(ptr: number, len: number): number {
    ptr >>>= 0;
    if (ptr + (len >>> 0) > this.u8.length) fail(Errno.FAULT);
    return ptr;
  }

  u32(ptr: number): number {
    return this.view.getUint32(this.check(ptr, 4), true);
  }

  setU8(ptr: number, value: number): void {
    this.view.setUint8(this.check(ptr, 1), value);
  }

  setU16(ptr: number, value: number): void {
    this.view.setUint16(this.check(ptr, 2), value, true);
  }

  setU32(ptr: number, value: number): void {
    this.view.setUint32(this.check(ptr, 4), value, true);
  }

  u64(ptr: number): bigint {
    return this.view.getBigUint64(this.check(ptr, 8), true);
  }

  setU64(ptr: number, value: bigint): void {
    this.view.setBigUint64(this.check(ptr, 8), value, true);
  }

  /** A u64 from a Number (sizes, offsets, counts below 2^53): no BigInt on the way. */
  setU64n(ptr: number, value: number): void {
    ptr = this.check(ptr, 8);
    this.view.setUint32(ptr, value >>> 0, true);
    this.view.setUint32(ptr + 4, Math.floor(value / 0x1_0000_0000), true);
  }

  /** A view of guest bytes (not a copy). */
  bytes(ptr: number, len: number): Uint8Array {
    ptr = this.check(ptr, len);
    return this.u8.subarray(ptr, ptr + (len >>> 0));
  }

  /** A UTF-8 string the guest passed (a path, a symlink target); EILSEQ when it is not UTF-8. */
  string(ptr: number, len: number): string {
    const bytes = this.bytes(ptr, len);
    try {
      return utf8.decode(bytes);
    } catch {
      return fail(Errno.ILSEQ);
    }
  }

  /**
   * Checks an iovec array and every buffer it points at; returns the total length. After this
   * the caller may read the array and touch the buffers without further checks.
   */
  iovecs(ptr: number, count: number): number {
    ptr = this.check(ptr, (count >>> 0) * 8);
    const view = this.view;
    let total = 0;
    for (let i = 0, at = ptr; i < count; i++, at += 8) {
      const len = view.getUint32(at + 4, true);
      this.check(view.getUint32(at, true), len);
      total += len;
    }
    return total;
  }
}

/** Strings made ready for the guest once per VM: each as UTF-8 with its NUL. */
export function encodeStrings(strings: string[]): Uint8Array[] {
  return strings.map((s) => utf8Encoder.encode(`${s}\0`));
}

export function encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** A u64 argument as the guest meant it: the JS API hands i64s over as signed BigInts. */
export function u64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

/** Copies `len` bytes of `src` from `from` into `dst` at `to`; a few bytes by hand, which beats making a subarray. */
export function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, len: number): void {
  if (len <= 16) for (let i = 0; i < len; i++) dst[to + i] = src[from + i];
  else dst.set(src.subarray(from, from + len), to);
}
