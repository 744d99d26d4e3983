// Repetition with a time cap: as many samples as asked, unless a slow runtime would blow the
// bench's time budget, in which case fewer (but never fewer than `min`).

export interface Budget {
  count: number;
  /** Stop early once this much time has gone (ms). */
  maxMs: number;
  min?: number;
}

export async function repeat(budget: Budget, sample: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  const start = performance.now();
  const min = budget.min ?? 3;
  while (out.length < budget.count && (out.length < min || performance.now() - start < budget.maxMs)) {
    out.push(await sample());
  }
  return out;
}

/** Runs `once` with `slots` in flight for `ms`; completions per second. */
export async function throughput(ms: number, slots: number, once: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const start = performance.now();
  const end = start + ms;
  const lane = async () => {
    while (performance.now() < end) {
      await once();
      done++;
    }
  };
  await Promise.all(Array.from({ length: slots }, lane));
  return done / ((performance.now() - start) / 1000);
}

/**
 * The smallest step performance.now() takes here, in ms: a few µs on a cross-origin isolated page
 * and in Node, 100 µs on a page without isolation (browsers coarsen the clock there).
 */
export function clockTickMs(): number {
  let tick = Infinity;
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    tick = Math.min(tick, b - a);
  }
  return tick;
}
