// A run's request or result as bytes in the shared block (see RunState in link.ts): JSON text,
// with the byte arrays it holds carried beside the text rather than spelt out in it. For the small
// objects of a warm run this is cheaper than a structured clone, and it needs no message: the
// other thread is woken on a word. Written by hand because it is the wire format of our own hot
// path, and a general serializer would carry far more than these plain objects need.
//
// Layout: u32 text bytes, u32 blobs, u32 marks, u32 length of each blob, the UTF-8 text, the blobs.
// A mark is an object {MARK: [kind, value]} standing for a byte array (its blob index) or a
// number JSON cannot spell (Infinity, NaN).

const MARK = '\u0000zerovm';
const enum MarkKind {
  Blob = 0,
  Number = 1,
}
type Mark = { [MARK]: [MarkKind, number | string] };

const HEADER = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Where the text is encoded before it is copied in (TextEncoder does not write to shared memory). */
let scratch = new Uint8Array(4096);

/**
 * Packs `value` into `box` (shared memory) and returns its length; 0 when it does not fit, or holds
 * what only a structured clone carries (anything but plain objects, arrays, strings, numbers,
 * booleans and Uint8Arrays — a WebAssembly.Module, for one), or an object with the mark's own key.
 */
export function pack(value: unknown, box: Uint8Array): number {
  const blobs: Uint8Array[] = [];
  let marks = 0;
  let plain = true;
  // Most requests and results are JSON as they stand; a replacer would slow every one of them down.
  const text = isJson(value) ? JSON.stringify(value) : JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      marks++;
      return { [MARK]: [MarkKind.Number, String(v)] } satisfies Mark;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    if (v instanceof Uint8Array) {
      marks++;
      return { [MARK]: [MarkKind.Blob, blobs.push(v) - 1] } satisfies Mark;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype || MARK in v) plain = false;
    return v;
  });
  if (!plain || text === undefined) return 0;
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const textBytes = encoder.encodeInto(text, scratch).written;
  let size = HEADER + 4 * blobs.length + textBytes;
  for (const blob of blobs) size += blob.length;
  if (size > box.length) return 0;
  const view = new DataView(box.buffer, box.byteOffset, box.byteLength);
  view.setUint32(0, textBytes, true);
  view.setUint32(4, blobs.length, true);
  view.setUint32(8, marks, true);
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

/** Whether JSON.stringify spells `value` as it is: no byte arrays, no numbers it cannot spell, nothing but plain objects. */
function isJson(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) {
    for (const item of v) if (!isJson(item)) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype || MARK in v) return false;
  const record = v as Record<string, unknown>;
  for (const key in record) if (!isJson(record[key])) return false;
  return true;
}

/** What `pack` put in `box` (`length` bytes): copied out, each byte array in a buffer of its own. */
export function unpack<T>(box: Uint8Array, length: number): T {
  const bytes = box.slice(0, length); // out of shared memory (TextDecoder reads no shared views)
  const view = new DataView(bytes.buffer);
  const textBytes = view.getUint32(0, true);
  const blobCount = view.getUint32(4, true);
  const marks = view.getUint32(8, true);
  let at = HEADER + 4 * blobCount;
  const value: unknown = JSON.parse(decoder.decode(bytes.subarray(at, at + textBytes)));
  if (marks === 0) return value as T;
  at += textBytes;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < blobCount; i++) {
    const length = view.getUint32(HEADER + 4 * i, true);
    blobs.push(bytes.slice(at, at + length));
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
