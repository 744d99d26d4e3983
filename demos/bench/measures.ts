// How each metric is measured, on any BenchRuntime: the page and Node share these, so that a
// figure means the same wherever it was taken.
import { type CompileMetricId, HOST_UP_MS, type MetricId, type MetricResult, type Section } from './metrics.js';
import type { BenchRuntime, Job } from './runtimes/runtime.js';
import { clockTickMs, repeat, throughput } from './sampling.js';
import { PLUGIN_MEASURES, PLUGIN_METRICS, PLUGIN_NEEDS } from './plugin-measures.js';
import { type Latency, latency, median } from './stats.js';
import { VOLUME_MEASURES, VOLUME_NEEDS } from './volume-measures.js';

export type RuntimeMetricId = Exclude<MetricId, 'size-core' | 'size-element' | CompileMetricId>;

export interface SectionOptions {
  /** Fewer samples: a quick look rather than stable figures. */
  quick?: boolean;
  only?: MetricId[];
  onProgress?: (message: string) => void;
  /** Called as each metric completes, so a page can draw as it goes. */
  onMetric?: (metric: MetricResult, section: Section) => void;
}

const MiB = 1 << 20;
const MB = 1e6;
export const SYSCALLS = 1_000_000;
const STDOUT_BYTES = 256 * MiB;
const FILE_BYTES = 64 * MiB;
const SHA_MIB = 64;

export interface Context {
  quick: boolean;
  /** The compute baseline: the module with stub imports (absent from a section without compute). */
  bare: BenchRuntime | null;
  /** Adds a note to the metric's result, for this runtime (how it was measured, what it took). */
  note: (text: string) => void;
}

export type Measure = (rt: BenchRuntime, ctx: Context) => Promise<number | Latency>;

/** Wall time of `job` with `n` units of work less the same with none: the work alone, in ms. */
async function workMs(rt: BenchRuntime, ctx: Context, make: (n: number) => Job, n: number, maxMs = 20_000): Promise<number> {
  const budget = { count: ctx.quick ? 3 : 5, maxMs, min: ctx.quick ? 1 : 2 };
  const base = median(await repeat(budget, async () => (await rt.run(make(0))).wallMs));
  const full = median(await repeat(budget, async () => (await rt.run(make(n))).wallMs));
  return Math.max(full - base, 1e-6);
}

const hello: Job = { program: 'hello', args: [], stdout: 'capture' };
const stdoutJob = (etag: boolean) => (k: number): Job => ({ program: 'stdout', args: [String(k), '65536'], stdout: 'capture', etag });

const TIMEOUT_MS = 100;

/** Round trips at the start of the run that are not counted: the JIT and the path warming up. */
const ROUND_TRIP_WARMUP = 200;

/**
 * How live-roundtrip samples: one sample per round trip where the clock is fine enough; where it
 * ticks coarser than 20 µs (a page without isolation: 100 µs), each sample is the mean of 10
 * consecutive round trips, and twice as many round trips are made, for 1/5 as many samples.
 */
function roundTripPlan(quick: boolean): { samples: number; batch: number; warmup: number; note: string } {
  const n = quick ? 300 : 2000;
  const tick = clockTickMs();
  const batch = tick > 0.02 ? 10 : 1;
  const samples = batch === 1 ? n : n / 5;
  const warmup = Math.ceil(ROUND_TRIP_WARMUP / batch);
  const note =
    batch === 1
      ? `${ROUND_TRIP_WARMUP} round trips of warm-up, then ${samples} timed one by one, in one run`
      : `performance.now() ticks every ${Math.round(tick * 1000)} µs here: ${ROUND_TRIP_WARMUP} round trips of warm-up, then ${samples} samples each the mean of ${batch} consecutive round trips, in one run`;
  return { samples, batch, warmup, note };
}

/** What a runtime must have for a metric, and what its cell says when it has not. */
export type Need = [(rt: BenchRuntime) => boolean, string];

const NEEDS: Partial<Record<RuntimeMetricId, Need>> = {
  'first-run': [(rt) => rt.firstRun !== undefined, 'starts a worker for each run: its first run is its cold spawn'],
  'timeout-end': [(rt) => rt.timedOut !== undefined, 'has no timeouts'],
  'live-roundtrip': [(rt) => rt.roundTrips !== undefined, 'has no live channels'],
  ...VOLUME_NEEDS,
  ...PLUGIN_NEEDS,
};

/** Why `rt` cannot be measured on `id`, or null. */
function lacks(rt: BenchRuntime, id: RuntimeMetricId): string | null {
  const need = NEEDS[id];
  return need && !need[0](rt) ? need[1] : null;
}

// Measured in this order. Cold spawn goes first: after thousands of warm runs, the runtimes' workers
// hold wasm memories their GC has not freed yet (the shim makes one per run), and a fresh worker's
// instance could not reserve its own (once, for every runtime: "Cannot allocate Wasm memory").
export const MEASURES: Record<RuntimeMetricId, Measure> = {
  async 'cold-spawn'(rt, ctx) {
    return latency(await repeat({ count: ctx.quick ? 5 : 20, maxMs: 10_000 }, async () => (await rt.cold(hello)).wallMs));
  },
  async 'first-run'(rt, ctx) {
    if (!rt.firstRun) throw new Error('has no pool');
    const firstRun = rt.firstRun.bind(rt);
    return latency(await repeat({ count: ctx.quick ? 5 : 15, maxMs: 15_000 }, async () => (await firstRun(hello, HOST_UP_MS)).wallMs));
  },
  async 'warm-spawn'(rt, ctx) {
    // JIT and pool warm-up, the same budget for every runtime: warm means the engine's optimising
    // tiers have the path (30 runs left a few hundred of the samples after them in its lower tiers).
    await repeat({ count: 3000, maxMs: 2000 }, async () => (await rt.run(hello)).wallMs);
    return latency(await repeat({ count: ctx.quick ? 50 : 400, maxMs: 8000, min: 20 }, async () => (await rt.run(hello)).wallMs));
  },
  async churn(rt, ctx) {
    return throughput(ctx.quick ? 2000 : 5000, rt.slots, () => rt.run(hello));
  },
  async syscall(rt, ctx) {
    const n = Math.round(SYSCALLS * (rt.syscallScale ?? 1));
    const ms = await workMs(rt, ctx, (k) => ({ program: 'syscall', args: [String(k)], stdout: 'discard' }), n);
    return (ms * 1e6) / n;
  },
  async 'stdout-etag-on'(rt, ctx) {
    return STDOUT_BYTES / MB / ((await workMs(rt, ctx, stdoutJob(true), STDOUT_BYTES)) / 1000);
  },
  async 'stdout-etag-off'(rt, ctx) {
    return STDOUT_BYTES / MB / ((await workMs(rt, ctx, stdoutJob(false), STDOUT_BYTES)) / 1000);
  },
  async 'file-io'(rt, ctx) {
    const job = (k: number): Job => ({ program: 'fileio', args: ['/bench.dat', String(k), '65536'], stdout: 'discard' });
    const ms = await workMs(rt, ctx, job, FILE_BYTES, 30_000);
    return (2 * FILE_BYTES) / MB / (ms / 1000); // bytes moved: written once, read once
  },
  async compute(rt, ctx) {
    const job = (mib: number): Job => ({ program: 'sha256', args: [String(mib)], stdout: 'capture' });
    const bare = ctx.bare;
    if (!bare) throw new Error('no bare baseline in this section');
    const once = async (r: BenchRuntime): Promise<number> => (await r.run(job(SHA_MIB))).runMs ?? NaN;
    // Runtime and bare alternate, and the ratio is taken pair by pair: a shared machine's load
    // drifts, and two separate series would carry the drift into the ratio.
    const ratios = await repeat({ count: ctx.quick ? 3 : 7, maxMs: 40_000 }, async () => (await once(rt)) / (await once(bare)));
    if (!ratios.some(Number.isNaN)) return median(ratios);
    // no run time from inside the runtime: wall time less an empty run
    return (await workMs(rt, ctx, job, SHA_MIB)) / (await workMs(bare, ctx, job, SHA_MIB));
  },
  async 'timeout-end'(rt, ctx) {
    if (!rt.timedOut) throw new Error('has no timeouts');
    const timedOut = rt.timedOut.bind(rt);
    return latency(await repeat({ count: ctx.quick ? 5 : 20, maxMs: 10_000 }, async () => (await timedOut(TIMEOUT_MS)) - TIMEOUT_MS));
  },
  async 'live-roundtrip'(rt, ctx) {
    if (!rt.roundTrips) throw new Error('has no live channels');
    const { samples, batch, warmup } = roundTripPlan(ctx.quick);
    const ms = await rt.roundTrips(warmup + samples, batch);
    return latency(ms.slice(warmup).map((t) => t * 1000));
  },
  ...VOLUME_MEASURES,
  ...PLUGIN_MEASURES,
};

export { PLUGIN_METRICS };
/** The metrics that run WASI commands (every one but the plugin metrics, which have a section of their own). */
export const COMMAND_METRICS = (Object.keys(MEASURES) as RuntimeMetricId[]).filter((id) => !(PLUGIN_METRICS as RuntimeMetricId[]).includes(id));

/** Those of `metrics` that `options` chose (all without --only). */
export function chosen(metrics: RuntimeMetricId[], options: SectionOptions): RuntimeMetricId[] {
  return metrics.filter((id) => !options.only || options.only.includes(id));
}

/**
 * The chosen `metrics` (by default every command metric) for every runtime, one runtime at a time
 * so that they never compete for cores. `bare`: the compute baseline, where compute is among them.
 */
export async function runSection(
  env: string,
  runtimes: BenchRuntime[],
  bare: BenchRuntime | null,
  notes: string[],
  options: SectionOptions,
  metrics: RuntimeMetricId[] = COMMAND_METRICS,
): Promise<Section> {
  const progress = options.onProgress ?? (() => {});
  const section: Section = {
    env,
    runtimes: runtimes.map((r) => r.name),
    metrics: [],
    notes: [...notes, ...runtimes.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`))],
  };
  const ids = chosen(metrics, options);
  const unready = new Map<BenchRuntime, string>();
  try {
    if (ids.includes('compute')) await bare?.setup();
    for (const rt of runtimes) {
      // A runtime none of the chosen metrics can measure is not set up: its cells say why.
      if (!ids.some((id) => !lacks(rt, id))) continue;
      progress(`setting up ${rt.name}`);
      await rt.setup().catch((e: Error) => unready.set(rt, e.message));
    }
    const quick = !!options.quick;
    for (const id of ids) {
      const result: MetricResult = { id, values: {}, notes: [] };
      for (const rt of runtimes) {
        result.values[rt.name] = null;
        const why = lacks(rt, id) ?? unready.get(rt);
        if (why) {
          result.notes!.push(`${rt.name}: ${why}`);
          continue;
        }
        progress(`${id}: ${rt.name}`);
        const ctx: Context = { quick, bare, note: (text) => result.notes!.push(`${rt.name}: ${text}`) };
        try {
          result.values[rt.name] = await MEASURES[id](rt, ctx);
        } catch (e) {
          result.notes!.push(`${rt.name}: ${(e as Error).message}`);
        }
      }
      if (id === 'syscall') {
        for (const rt of runtimes) if (rt.syscallScale) result.notes!.push(`${rt.name}: ${SYSCALLS * rt.syscallScale} calls`);
      }
      if (id === 'live-roundtrip') result.notes!.push(roundTripPlan(!!options.quick).note);
      section.metrics.push(result);
      options.onMetric?.(result, section);
    }
  } finally {
    for (const rt of runtimes) rt.dispose();
    bare?.dispose();
  }
  return section;
}
