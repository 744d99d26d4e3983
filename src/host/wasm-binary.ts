// Just enough of the WebAssembly binary format to read and rewrite what the host must check
// before compiling: imports, memories and their limits. (Instructions: see wasm-code.ts.)

export class WasmFormatError extends Error {}

/** One decoder for every name: making a TextDecoder costs more than decoding a short name. */
const utf8 = new TextDecoder();

/** A cursor over module bytes, reading LEB128 numbers and names. */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
    readonly end = bytes.length,
  ) {}

  byte(): number {
    if (this.at >= this.end) throw new WasmFormatError('unexpected end of module');
    return this.bytes[this.at++];
  }

  /** An unsigned LEB128 number (up to 64 bits, as a Number: exact below 2^53). */
  u32(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  /** The next byte, not consumed. */
  peek(): number {
    if (this.at >= this.end) throw new WasmFormatError('unexpected end of module');
    return this.bytes[this.at];
  }

  /** Skips a signed LEB128 number. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }

  skip(n: number): void {
    if (this.at + n > this.end) throw new WasmFormatError('unexpected end of module');
    this.at += n;
  }

  name(): string {
    const length = this.u32();
    const start = this.at;
    this.skip(length);
    return utf8.decode(this.bytes.subarray(start, this.at));
  }
}

export interface Section {
  id: number;
  /** Offset of the section's id byte, of its payload, and of its end. */
  start: number;
  payload: number;
  end: number;
}

/** The sections the host reads or writes. */
export const enum SectionId {
  Custom = 0,
  Import = 2,
  Memory = 5,
  Code = 10,
}

/** Whether `bytes` (8 or more of them) begin as a WebAssembly module does. */
export const hasWasmMagic = (bytes: Uint8Array) => bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;

/**
 * An unsigned LEB128 number at `at`, of at most `maxBytes` bytes, and where it ends; null if it runs
 * past `end` (the rest of a module still downloading). Throws WasmFormatError past `maxBytes`.
 */
export function lebAt(bytes: Uint8Array, at: number, end: number, maxBytes: number): [value: number, next: number] | null {
  let result = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + maxBytes; i++) {
    result += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) return [result, i + 1];
    scale *= 128;
  }
  if (end >= at + maxBytes) throw new WasmFormatError(`a number longer than ${maxBytes} bytes`);
  return null;
}

export function sections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || !hasWasmMagic(bytes)) {
    throw new WasmFormatError('not a WebAssembly module (bad magic number)');
  }
  const r = new Reader(bytes, 8);
  const list: Section[] = [];
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const payload = r.at;
    r.skip(size);
    list.push({ id, start, payload, end: r.at });
  }
  return list;
}

export interface MemoryLimits {
  /** Where the limits' flag byte is, and where they end. */
  start: number;
  end: number;
  shared: boolean;
  memory64: boolean;
  min: number;
  max: number | null;
}

export function readLimits(r: Reader): MemoryLimits {
  const start = r.at;
  const flags = r.byte();
  // Bits past max/shared/64-bit (custom page sizes, say) would change what a page is: not ours to guess.
  if (flags > 7) throw new WasmFormatError(`unknown limits flags ${hex(flags)}`);
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  return { start, end: r.at, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0, min, max };
}

export interface Import {
  module: string;
  name: string;
  kind: ImportKind;
  memory?: MemoryLimits;
}

export const enum ImportKind {
  Func = 0,
  Table = 1,
  Memory = 2,
  Global = 3,
  Tag = 4,
}

export function readImports(bytes: Uint8Array, section: Section): Import[] {
  const r = new Reader(bytes, section.payload, section.end);
  const list: Import[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const entry: Import = { module: r.name(), name: r.name(), kind: r.byte() };
    try {
      switch (entry.kind) {
        case ImportKind.Func: r.u32(); break;
        case ImportKind.Table: skipValType(r); readLimits(r); break;
        case ImportKind.Memory: entry.memory = readLimits(r); break;
        case ImportKind.Global:
          skipValType(r);
          if (r.byte() > 1) throw new WasmFormatError('unknown global flags'); // 1 is mutable; more (shared) is not standard
          break;
        case ImportKind.Tag: r.byte(); r.u32(); break;
        default: throw new WasmFormatError(`unknown import kind ${hex(entry.kind)}`);
      }
    } catch (e) {
      if (e instanceof WasmFormatError) throw new WasmFormatError(`${e.message} in import ${entry.module}.${entry.name}`);
      throw e;
    }
    list.push(entry);
  }
  finished(r, 'import');
  return list;
}

export function readMemories(bytes: Uint8Array, section: Section): MemoryLimits[] {
  const r = new Reader(bytes, section.payload, section.end);
  const list: MemoryLimits[] = [];
  for (let n = r.u32(); n > 0; n--) list.push(readLimits(r));
  finished(r, 'memory');
  return list;
}

/** Bytes left over mean the entries were misread: whatever was read from them cannot be trusted. */
export function finished(r: Reader, section: string): void {
  if (r.at !== r.end) throw new WasmFormatError(`the ${section} section has bytes past its last entry`);
}

// Abstract heap types, one byte each: exn (0x69) up to noexn (0x74).
const isAbstractHeapType = (b: number) => b >= 0x69 && b <= 0x74;

/** A heap type: an abstract one (one negative byte) or a type index (s33, non-negative). */
export function skipHeapType(r: Reader): void {
  const b = r.byte();
  if (b & 0x80) r.skipLeb(); // a type index of two bytes or more
  else if (b & 0x40 && !isAbstractHeapType(b)) throw new WasmFormatError(`unknown heap type ${hex(b)}`);
}

/** A value type: a number or vector type (one byte), or a reference type (its shorthand byte, or 0x63/0x64 and a heap type). */
export function skipValType(r: Reader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) skipHeapType(r);
  else if (!(b >= 0x7b && b <= 0x7f) && !isAbstractHeapType(b)) throw new WasmFormatError(`unknown value type ${hex(b)}`);
}

export const hex = (n: number) => `0x${n.toString(16)}`;

export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}
