// Just enough of the WebAssembly binary format to read and rewrite what the host must check
// before compiling: imports, memories and their limits. (Instructions: see wasm-code.ts.)

export class WasmFormatError extends Error {}

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
    return new TextDecoder().decode(this.bytes.subarray(start, this.at));
  }
}

export interface Section {
  id: number;
  /** Offset of the section's id byte, of its payload, and of its end. */
  start: number;
  payload: number;
  end: number;
}

export function sections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
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
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  return { start, end: r.at, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0, min, max };
}

export interface Import {
  module: string;
  name: string;
  kind: number;
  memory?: MemoryLimits;
}

const enum ImportKind {
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
    switch (entry.kind) {
      case ImportKind.Func: r.u32(); break;
      case ImportKind.Table: skipValType(r); readLimits(r); break;
      case ImportKind.Memory: entry.memory = readLimits(r); break;
      case ImportKind.Global: skipValType(r); r.byte(); break;
      case ImportKind.Tag: r.byte(); r.u32(); break;
      default: throw new WasmFormatError(`unknown import kind ${entry.kind}`);
    }
    list.push(entry);
  }
  return list;
}

export function readMemories(bytes: Uint8Array, section: Section): MemoryLimits[] {
  const r = new Reader(bytes, section.payload, section.end);
  const list: MemoryLimits[] = [];
  for (let n = r.u32(); n > 0; n--) list.push(readLimits(r));
  return list;
}

/** A value type: one byte, or a reference type with a heap type after it (GC proposal). */
export function skipValType(r: Reader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) r.skipLeb();
}

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
