// A run's request or result as bytes in the shared block (see RunState in link.ts): JSON text,
// with the byte arrays it holds carried beside the text rather than spelt out in it. For the small
// objects of a warm run this is cheaper than a structured clone, and it needs no message: the
// other thread is woken on a word. Written by hand because it is the wire format of our own hot
// path, and a general serializer would carry far more than these plain objects need.
//
// Layout: u32 text bytes, u32 blobs, u32 marks, u32 length of each blob, the UTF-8 text, the blobs.
// A mark is an object {MARK: [kind, value]} standing for a byte array (its blob index) or a
// number JSON cannot spell (Infinity, NaN, -0).

const MARK = '\u0000zerovm';
const enum MarkKind {
  Blob = 0,
  Number = 1,
}
type Mark = { [MARK]: [MarkKind, number | string] };

const HEADER = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Where the text is encoded before it is copied in (TextEncoder does not write to shared memory); never more than a box. */
let scratch = new Uint8Array(4096);

/** How a value (as it is, before any toJSON) travels: as JSON spells it, as a mark, or not at all. */
const enum Carry {
  Json,
  Marked,
  Refused,
}

function carry(v: unknown): Carry {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? Carry.Json : Carry.Marked;
    case 'string':
    case 'boolean':
    case 'undefined': // an object's undefined field is left out, as the types allow (in an array: refused, below)
      return Carry.Json;
    case 'object':
      if (v === null) return Carry.Json;
      if (v instanceof Uint8Array) return Carry.Marked; // a Node Buffer too, whose toJSON would spell it out
      if (Array.isArray(v)) return v.includes(undefined) ? Carry.Refused : Carry.Json;
      // A Date, a Map, a typed array other than bytes, a WebAssembly.Module: only a structured clone carries them.
      return Object.getPrototypeOf(v) === Object.prototype && !(MARK in v) ? Carry.Json : Carry.Refused;
    default:
      return Carry.Refused; // bigint, function, symbol
  }
}

/** What `pack` refuses: a value only a structured clone carries. */
const REFUSED = Symbol('refused');

/**
 * `v` as JSON.stringify is to spell it: `v` itself when nothing in it needs a mark (most requests
 * and results), else a copy of the objects and arrays on the way to each mark, with the mark in
 * place; REFUSED when something in it is (or, `blobs` null, when something needs a mark). One
 * walk, and no replacer: JSON.stringify with a replacer calls back for every key, and was most of
 * the time of packing a result with output.
 */
function spelt(v: unknown, blobs: Uint8Array[] | null, marks: { count: number }): unknown {
  switch (carry(v)) {
    case Carry.Refused:
      return REFUSED;
    case Carry.Marked:
      if (!blobs) return REFUSED;
      marks.count++;
      if (v instanceof Uint8Array) return { [MARK]: [MarkKind.Blob, blobs.push(v) - 1] } satisfies Mark;
      return { [MARK]: [MarkKind.Number, Object.is(v, -0) ? '-0' : String(v)] } satisfies Mark;
    case Carry.Json:
      break;
  }
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const item = spelt(v[i], blobs, marks);
      if (item === REFUSED) return REFUSED;
      if (item !== v[i]) (copy ??= v.slice())[i] = item;
    }
    return copy ?? v;
  }
  const record = v as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in record) {
    const value = record[key];
    const field = spelt(value, blobs, marks);
    if (field === REFUSED) return REFUSED;
    if (field !== value) (copy ??= { ...record })[key] = field;
  }
  return copy ?? v;
}

/**
 * Packs `value` into `box` (shared memory) and returns its length; 0 when it does not fit, or holds
 * what only a structured clone carries (anything but plain objects, arrays, strings, numbers,
 * booleans and Uint8Arrays — a WebAssembly.Module, for one, or undefined in an array, or a toJSON
 * method of an object's own), or an object with the mark's own key. Each byte array is copied in
 * on its own: two views of one buffer come out as two buffers.
 */
export function pack(value: unknown, box: Uint8Array): number {
  const blobs: Uint8Array[] = [];
  const marks = { count: 0 };
  let text: string | undefined;
  try {
    const json = spelt(value, blobs, marks);
    if (json === REFUSED) return 0;
    text = JSON.stringify(json);
  } catch {
    return 0; // a cycle: a message carries it, or says why not
  }
  if (text === undefined || HEADER + text.length > box.length) return 0; // UTF-8 is never shorter
  if (scratch.length < Math.min(text.length * 3, box.length)) scratch = new Uint8Array(Math.min(text.length * 3, box.length));
  const { read, written: textBytes } = encoder.encodeInto(text, scratch);
  if (read < text.length) return 0;
  let size = HEADER + 4 * blobs.length + textBytes;
  for (const blob of blobs) size += blob.length;
  if (size > box.length) return 0;
  const view = new DataView(box.buffer, box.byteOffset, box.byteLength);
  view.setUint32(0, textBytes, true);
  view.setUint32(4, blobs.length, true);
  view.setUint32(8, marks.count, true);
  let at = HEADER;
  for (const blob of blobs) {
    view.setUint32(at, blob.length, true);
    at += 4;
  }
  box.set(scratch.subarray(0, textBytes), at);
  at += textBytes;
  for (const blob of blobs) {
    box.set(blob, at);
    at += blob.length;
  }
  return size;
}

/**
 * `value` as JSON text, when JSON spells it as it is: no byte array, no number JSON cannot spell,
 * nothing only a structured clone carries (else null). What a message carries as a string: a
 * string clones at the cost of a copy, and is compared at the cost of one.
 */
export function jsonText(value: unknown): string | null {
  try {
    return spelt(value, null, { count: 0 }) === value ? (JSON.stringify(value) ?? null) : null;
  } catch {
    return null; // a cycle
  }
}

/** What `pack` put in `box`: copied out of shared memory, each byte array in a buffer of its own. */
export function unpack<T>(box: Uint8Array): T {
  const view = new DataView(box.buffer, box.byteOffset, box.byteLength);
  const textBytes = view.getUint32(0, true);
  const blobCount = view.getUint32(4, true);
  const marks = view.getUint32(8, true);
  let at = HEADER + 4 * blobCount;
  // A copy: TextDecoder reads no shared views.
  const value: unknown = JSON.parse(decoder.decode(box.slice(at, at + textBytes)));
  if (marks === 0) return value as T;
  at += textBytes;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < blobCount; i++) {
    const length = view.getUint32(HEADER + 4 * i, true);
    blobs.push(box.slice(at, at + length));
    at += length;
  }
  return restore(value, blobs) as T;
}

/** Puts the byte arrays and numbers back where their marks are. */
function restore(v: unknown, blobs: Uint8Array[]): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restore(v[i], blobs);
    return v;
  }
  const mark = (v as Partial<Mark>)[MARK];
  if (mark) return mark[0] === MarkKind.Blob ? blobs[mark[1] as number] : Number(mark[1]);
  const record = v as Record<string, unknown>;
  for (const key in record) record[key] = restore(record[key], blobs);
  return v;
}
