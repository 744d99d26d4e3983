// The text forms of sizes and durations that people type (CLI flags, element attributes):
// "64MiB", "512k", "1.5GB", "30s", "250ms". One parser for every front, so they agree.

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};

const MS_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, min: 60_000 };

function parse(text: string, units: Record<string, number>): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return null;
  const scale = units[match[2].toLowerCase()];
  if (scale === undefined) return null;
  const value = Math.round(Number(match[1]) * scale);
  return Number.isSafeInteger(value) ? value : null;
}

/** Bytes from "65536", "64KiB", "64k" (binary), "64kB" (decimal), "1.5GiB"; null when it is not a size. */
export function parseBytes(text: string): number | null {
  return parse(text, BYTE_UNITS);
}

/** Milliseconds from "250", "250ms", "30s", "2m"; null when it is not a duration. */
export function parseMs(text: string): number | null {
  return parse(text, MS_UNITS);
}
