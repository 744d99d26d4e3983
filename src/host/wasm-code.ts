// Walks every instruction of a module's code section, to find the ones that make a run
// nondeterministic (relaxed SIMD). A byte search would not do: 0xFD also occurs inside immediates.
import { Reader, type Section, skipValType, WasmFormatError } from './wasm-binary.js';

export interface CodeFindings {
  /** The first relaxed-SIMD instruction's name-ish description, if any. */
  relaxedSimd: string | null;
}

function blockType(r: Reader): void {
  const b = r.bytes[r.at];
  if (b === 0x40 || (b >= 0x6a && b <= 0x7f)) r.at++; // empty, or a one-byte value type
  else if (b === 0x63 || b === 0x64) skipValType(r);
  else r.skipLeb(); // a type index, as s33
}

function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory: a memory index follows
  r.u32();
}

// Immediates of the 0xFC (misc) prefix, by sub-opcode: how many u32s follow.
const MISC_U32S = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

function simd(r: Reader, op: number, findings: CodeFindings): void {
  if (op <= 11 || op === 92 || op === 93) memarg(r);
  else if (op === 12 || op === 13) r.skip(16);
  else if (op >= 21 && op <= 34) r.skip(1);
  else if (op >= 84 && op <= 91) {
    memarg(r);
    r.skip(1);
  } else if (op >= 0x100 && op <= 0x113) {
    findings.relaxedSimd ??= `0xfd 0x${op.toString(16)}`;
  }
}

function instruction(r: Reader, findings: CodeFindings): void {
  const op = r.byte();
  switch (op) {
    case 0x02: case 0x03: case 0x04: case 0x06: blockType(r); return;
    case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d: case 0x10: case 0x12: case 0x14: case 0x15:
    case 0x18: case 0xd2: case 0xd5: case 0xd6: case 0x25: case 0x26:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
      r.u32();
      return;
    case 0x0e: for (let n = r.u32() + 1; n > 0; n--) r.u32(); return; // br_table: labels + default
    case 0x11: case 0x13: r.u32(); r.u32(); return;
    case 0x1c: for (let n = r.u32(); n > 0; n--) skipValType(r); return;
    case 0x1f: // try_table
      blockType(r);
      for (let n = r.u32(); n > 0; n--) {
        const kind = r.byte();
        if (kind < 2) r.u32();
        r.u32();
      }
      return;
    case 0x3f: case 0x40: r.u32(); return;
    case 0x41: case 0x42: r.skipLeb(); return;
    case 0x43: r.skip(4); return;
    case 0x44: r.skip(8); return;
    case 0xd0: r.skipLeb(); return; // ref.null heap type
    case 0xfc: {
      const sub = r.u32();
      if (sub >= MISC_U32S.length) throw new WasmFormatError(`unknown instruction 0xfc ${sub}`);
      for (let n = MISC_U32S[sub]; n > 0; n--) r.u32();
      return;
    }
    case 0xfd: simd(r, r.u32(), findings); return;
    case 0xfe: {
      const sub = r.u32();
      if (sub === 3) r.skip(1); // atomic.fence
      else memarg(r);
      return;
    }
    case 0xfb: throw new WasmFormatError('GC instructions are not supported');
    default:
      if (op >= 0x28 && op <= 0x3e) memarg(r);
      // every other opcode has no immediates
  }
}

export function scanCode(bytes: Uint8Array, code: Section): CodeFindings {
  const findings: CodeFindings = { relaxedSimd: null };
  const r = new Reader(bytes, code.payload, code.end);
  for (let n = r.u32(); n > 0; n--) {
    const size = r.u32();
    const end = r.at + size;
    for (let groups = r.u32(); groups > 0; groups--) {
      r.u32();
      skipValType(r);
    }
    while (r.at < end) instruction(r, findings);
  }
  return findings;
}
