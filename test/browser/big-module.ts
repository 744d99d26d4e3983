// A WASI command of about 1.3 MB that does nothing: big enough for the browser's module cache
// (module-store.ts keeps modules of 1 MiB and more), made the same, byte for byte, every time.
const FUNCTIONS = 2500;
const OPS_PER_FUNCTION = 250; // i32.const 1; drop

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const name = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];

export function bigModule(): Uint8Array {
  const filler = [0x00]; // no locals
  for (let i = 0; i < OPS_PER_FUNCTION; i++) filler.push(0x41, 0x01, 0x1a);
  filler.push(0x0b);
  const start = [0x00, 0x0b];
  const code: number[] = [...leb(FUNCTIONS + 1), ...leb(start.length), ...start];
  for (let i = 0; i < FUNCTIONS; i++) code.push(...leb(filler.length), ...filler);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]), // one type: [] -> []
    ...section(3, [...leb(FUNCTIONS + 1), ...new Array<number>(FUNCTIONS + 1).fill(0)]),
    ...section(5, [1, 0x00, 1]), // one memory, one page
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('_start'), 0x00, 0]),
    ...section(10, code),
  ];
  return new Uint8Array(bytes);
}
