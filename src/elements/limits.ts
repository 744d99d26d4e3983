// The `timeout` and `memory` limits as people type them ("5s", "64MiB"), read with the shared unit
// parsers into a manifest's limits. <zero-vm>'s attributes and the playground's fields use the same
// words, so a bad value is explained the same way wherever it is typed.
import type { Limits } from '../contract/manifest.js';
import { parseBytes, parseMs } from '../contract/units.js';

export type LimitField = 'timeout' | 'memory';

export type LimitRead = { ok: true; value: number | undefined } | { ok: false; message: string };

export type LimitsRead = { ok: true; limits: Limits } | { ok: false; field: LimitField; message: string };

const READERS = {
  timeout: { parse: parseMs, expected: 'a duration above 0, such as 5s or 250ms' },
  memory: { parse: parseBytes, expected: 'a size above 0, such as 64MiB or 512k' },
};

/** One limit from its text: undefined when empty (the default applies). */
export function readLimit(field: LimitField, text: string): LimitRead {
  if (text.trim() === '') return { ok: true, value: undefined };
  const { parse, expected } = READERS[field];
  const value = parse(text);
  return value === null || value < 1 ? { ok: false, message: `expected ${expected}; got "${text}"` } : { ok: true, value };
}

/** Both limits, or the first that does not read. */
export function readLimits(texts: Record<LimitField, string>): LimitsRead {
  const limits: Limits = {};
  for (const field of ['timeout', 'memory'] as const) {
    const read = readLimit(field, texts[field]);
    if (!read.ok) return { ok: false, field, message: read.message };
    if (read.value !== undefined) limits[field] = read.value;
  }
  return { ok: true, limits };
}
