// Walks every instruction of a module's code section, to find the ones that make a run
// nondeterministic (relaxed SIMD). A byte search would not do: 0xFD also occurs inside immediates.
// Every standard instruction is read with its immediates (WebAssembly 3.0 — GC, exceptions, tail
// calls, typed references, SIMD, multi-memory, memory64 — plus threads and wide arithmetic);
// anything else throws WasmFormatError, for past an instruction it cannot read the walk is blind.
import { hex, lebAt, Reader, type Section, skipHeapType, skipValType, WasmFormatError } from './wasm-binary.js';

export interface CodeFindings {
  /** The first relaxed-SIMD instruction and the function it is in, if any. */
  relaxedSimd: string | null;
}

/** Told of each relaxed-SIMD instruction found, by opcode. */
type Found = (opcode: string) => void;

const unknown = (...opcode: number[]) => new WasmFormatError(`unknown instruction ${opcode.map(hex).join(' ')}`);

function blockType(r: Reader): void {
  const b = r.peek();
  if (b === 0x40) r.at++; // no results
  else if ((b & 0xc0) === 0x40) skipValType(r); // a negative one-byte s33: one result of this type
  else r.skipLeb(); // a type index, as a non-negative s33
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: a memory index follows
  r.u32(); // offset (up to 64 bits with memory64)
}

function tryTable(r: Reader): void {
  blockType(r);
  for (let n = r.u32(); n > 0; n--) {
    const kind = r.byte(); // catch and catch_ref name a tag; catch_all and catch_all_ref do not
    if (kind > 3) throw new WasmFormatError(`unknown catch clause ${hex(kind)}`);
    if (kind < 2) r.u32();
    r.u32(); // the label
  }
}

// 0xFB (GC) sub-opcodes 0x00-0x13, struct.* and array.*: how many indices follow (types, fields,
// data or element segments, array.new_fixed's length).
const GC_INDICES = [1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 0, 1, 2, 2, 2];

function gc(r: Reader): void {
  const op = r.u32();
  if (op < GC_INDICES.length) {
    for (let n = GC_INDICES[op]; n > 0; n--) r.u32();
  } else if (op <= 0x17) {
    skipHeapType(r); // ref.test, ref.cast; nullable or not by opcode
  } else if (op <= 0x19) {
    // br_on_cast, br_on_cast_fail: a flags byte (which of the two types is nullable), a label, two heap types
    if (r.byte() > 3) throw new WasmFormatError('unknown br_on_cast flags');
    r.u32();
    skipHeapType(r);
    skipHeapType(r);
  } else if (op > 0x1e) {
    throw unknown(0xfb, op); // 0x1a-0x1e: extern/any conversions and i31, no immediates
  }
}

// 0xFC sub-opcodes: how many indices follow. 0-7 saturating truncation; 8-17 bulk memory and
// tables; 18 would be memory.discard (not standard); 19-22 wide arithmetic.
const MISC_INDICES = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1, undefined, 0, 0, 0, 0];

function misc(r: Reader): void {
  const op = r.u32();
  const indices = MISC_INDICES[op];
  if (indices === undefined) throw unknown(0xfc, op);
  for (let n = indices; n > 0; n--) r.u32();
}

// 0xFD sub-opcodes up to 0xFF that were never assigned (or were dropped before SIMD shipped).
const SIMD_UNASSIGNED = new Set([
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee,
]);

function simd(r: Reader, found: Found): void {
  const op = r.u32();
  if (op <= 0x0b || op === 0x5c || op === 0x5d) memarg(r); // loads, store, load32/64_zero
  else if (op === 0x0c || op === 0x0d) r.skip(16); // v128.const, i8x16.shuffle's lanes
  else if (op >= 0x15 && op <= 0x22) r.skip(1); // extract_lane, replace_lane: a lane index
  else if (op >= 0x54 && op <= 0x5b) {
    memarg(r); // load*_lane, store*_lane
    r.skip(1);
  } else if (op >= 0x100 && op <= 0x113) found(`0xfd ${hex(op)}`); // relaxed SIMD
  else if (op > 0xff || SIMD_UNASSIGNED.has(op)) throw unknown(0xfd, op);
}

function atomic(r: Reader): void {
  const op = r.u32();
  if (op === 0x03) r.byte(); // atomic.fence: one reserved byte
  else if (op <= 0x02 || (op >= 0x10 && op <= 0x4e)) memarg(r); // notify, wait32/64, loads, stores, rmw
  else throw unknown(0xfe, op);
}

/** Reads one instruction; returns how it changes the nesting of blocks (+1 opens one, -1 ends one). */
function instruction(r: Reader, found: Found): number {
  const op = r.byte();
  if (op >= 0x45 && op <= 0xc4) return 0; // numeric and sign extension: no immediates
  if (op >= 0x28 && op <= 0x3e) {
    memarg(r); // loads and stores
    return 0;
  }
  switch (op) {
    // unreachable, nop, else, throw_ref, return, catch_all (legacy), drop, select, ref.is_null, ref.eq, ref.as_non_null
    case 0x00: case 0x01: case 0x05: case 0x0a: case 0x0f: case 0x19: case 0x1a: case 0x1b: case 0xd1: case 0xd3: case 0xd4:
      return 0;
    case 0x02: case 0x03: case 0x04: case 0x06: // block, loop, if, try (legacy)
      blockType(r);
      return 1;
    case 0x1f: // try_table
      tryTable(r);
      return 1;
    case 0x0b: // end
      return -1;
    case 0x18: // delegate (legacy): ends its try
      r.u32();
      return -1;
    // catch (legacy), throw, rethrow (legacy), br, br_if, call, return_call, call_ref, return_call_ref,
    // local.*, global.*, table.get/set, memory.size/grow, ref.func, br_on_null, br_on_non_null
    case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d: case 0x10: case 0x12: case 0x14: case 0x15:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x3f: case 0x40:
    case 0xd2: case 0xd5: case 0xd6:
      r.u32();
      return 0;
    case 0x11: case 0x13: // call_indirect, return_call_indirect: type and table
      r.u32();
      r.u32();
      return 0;
    case 0x0e: // br_table: the labels, then the default
      for (let n = r.u32() + 1; n > 0; n--) r.u32();
      return 0;
    case 0x1c: // select with types
      for (let n = r.u32(); n > 0; n--) skipValType(r);
      return 0;
    case 0x41: case 0x42: r.skipLeb(); return 0;
    case 0x43: r.skip(4); return 0;
    case 0x44: r.skip(8); return 0;
    case 0xd0: skipHeapType(r); return 0; // ref.null
    case 0xfb: gc(r); return 0;
    case 0xfc: misc(r); return 0;
    case 0xfd: simd(r, found); return 0;
    case 0xfe: atomic(r); return 0;
    default: throw unknown(op);
  }
}

function functionBody(r: Reader, found: Found): void {
  for (let groups = r.u32(); groups > 0; groups--) {
    r.u32();
    skipValType(r);
  }
  // The body is a block of its own: it ends with the `end` that closes it, exactly at its last byte.
  for (let depth = 1; depth > 0; ) depth += instruction(r, found);
  if (r.at !== r.end) throw new WasmFormatError('instructions past the end of the body');
}

/** Scans each function body; `firstFunction` is the index of the first (after the imported functions). */
export function scanCode(bytes: Uint8Array, code: Section, firstFunction: number): CodeFindings {
  const scanner = new CodeScanner(code.payload, code.end, firstFunction);
  scanner.advance(bytes, code.end);
  if (!scanner.done) throw new WasmFormatError('unexpected end of module');
  return scanner.findings;
}

/**
 * The code section walked body by body as the module's bytes arrive (a module compiled while it
 * downloads, host/module-stream.ts). Each call to `advance` walks the bodies that lie wholly within
 * what has come so far.
 */
export class CodeScanner {
  readonly findings: CodeFindings = { relaxedSimd: null };
  /** Bodies not yet walked; null until the count is read. */
  private left: number | null = null;
  private index: number;

  /** `at`: the code section's payload; `end`: its end. */
  constructor(
    private at: number,
    private end: number,
    firstFunction: number,
  ) {
    this.index = firstFunction;
  }

  /** Every body is walked (and the section holds nothing past them). */
  get done(): boolean {
    return this.left === 0;
  }

  /** Walks the bodies wholly within `bytes[0, available)` (the module's bytes so far); throws WasmFormatError for what it cannot read. */
  advance(bytes: Uint8Array, available: number): void {
    const upTo = Math.min(available, this.end);
    if (this.left === null) {
      const count = lebAt(bytes, this.at, upTo, 10);
      if (count === null) return;
      [this.left, this.at] = count;
    }
    while (this.left > 0) {
      const size = lebAt(bytes, this.at, upTo, 10);
      if (size === null || size[1] + size[0] > upTo) return; // not all here yet
      const [length, start] = size;
      const index = this.index;
      try {
        functionBody(new Reader(bytes, start, start + length), (opcode) => (this.findings.relaxedSimd ??= `${opcode} in function ${index}`));
      } catch (e) {
        if (e instanceof WasmFormatError) throw new WasmFormatError(`${e.message} in function ${index}`);
        throw e;
      }
      this.at = start + length;
      this.index++;
      this.left--;
    }
    if (this.at !== this.end) throw new WasmFormatError('the code section has bytes past its last entry');
  }
}
