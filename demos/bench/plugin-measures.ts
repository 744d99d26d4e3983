// The plugin metrics: a tiny plugin (test/plugins/plugin.wasm, count_vowels of a short text, JSON
// out) called again and again, on our runtime (vm.plugin: a fresh instance per call by default,
// or keepState) and on Extism's own JS SDK (one instance kept between calls: its only mode), the
// same bytes for all. Latency per call, after a warm-up, and calls/s one call after another.
import type { Context, Measure, Need } from './measures.js';
import type { BenchPlugin, BenchRuntime } from './runtimes/runtime.js';
import { clockTickMs, repeat } from './sampling.js';
import { latency, median } from './stats.js';

export type PluginMetricId = 'plugin-call' | 'plugin-call-kept' | 'plugin-churn' | 'plugin-churn-kept';

export const PLUGIN_FUNCTION = 'count_vowels';
export const PLUGIN_INPUT = 'Hello, World!';
const VOWELS = 3; // e, o, o
/** Calls made before any is timed: the JIT, the workers, the kept instance. */
const WARMUP = { count: 300, maxMs: 3000 };
/**
 * The rate's run: this many calls, or fewer if the time runs out first. A count, not just a time:
 * Extism's foreground plugin (1.0.3) never frees a block between calls and fails after 6,553 calls
 * of count_vowels (5 blocks a call; block 2^15's address is negative), so a plugin loaded for a
 * figure makes fewer calls than that, warm-up included.
 */
const RATE = { calls: 5000, ms: 3000, quick: { calls: 1000, ms: 1000 } };

const text = new TextDecoder();

/** Samples compared, at the start and at the end of a run, to tell a runtime that slows down as calls accumulate. */
const DRIFT_WINDOW = 100;

/** What the plugin sections call and how, the same on the page and in Node. */
export function pluginNotes(wasm: Uint8Array, quick = false): string[] {
  const tickUs = clockTickMs() * 1000;
  const rate = quick ? RATE.quick : RATE;
  return [
    `test/plugins/plugin.wasm (${wasm.length} bytes, the same for every runtime): ${PLUGIN_FUNCTION}(${JSON.stringify(PLUGIN_INPUT)}) → JSON; ` +
      `ours: vm.plugin({ program: bytes }, { keepState }), then plugin.call(name, input); each figure after ${WARMUP.count} calls of warm-up, on a plugin loaded for it; ` +
      `calls/s: ${rate.calls} calls one after another, or as many as ${rate.ms / 1000} s allow`,
    ...(tickUs >= 1 ? [`performance.now() steps by ${Math.round(tickUs)} µs here: a latency of a few steps is coarse (calls/s is finer)`] : []),
  ];
}

/**
 * The plugin loaded on `rt`, its output checked, and on our runtime what it keeps between calls
 * too (var "total" sums the counts: a second call says 6 if the instance was kept, 3 if it was
 * fresh), so that our row measures the mode it says it does.
 */
async function loaded(rt: BenchRuntime, ctx: Context, keepState: boolean): Promise<BenchPlugin> {
  const access = rt.plugins!;
  const plugin = await access.load({ keepState });
  try {
    const totals: number[] = [];
    for (let i = 0; i < 2; i++) {
      const out = JSON.parse(text.decode(await plugin.call(PLUGIN_FUNCTION, PLUGIN_INPUT))) as { count?: number; total?: number };
      if (out.count !== VOWELS) throw new Error(`${PLUGIN_FUNCTION} said ${JSON.stringify(out)}, expected count ${VOWELS}`);
      totals.push(out.total ?? NaN);
    }
    const expected = [VOWELS, keepState ? 2 * VOWELS : VOWELS];
    if (access.between === 'fresh' && totals.join() !== expected.join()) {
      throw new Error(`${PLUGIN_FUNCTION}'s totals were ${totals.join(', ')}, expected ${expected.join(', ')} (${keepState ? 'one instance kept' : 'a fresh instance per call'})`);
    }
    if (access.between === 'kept') {
      if (!keepState) ctx.note('keeps one instance between calls (it has no other mode)');
      if (totals[1] !== 2 * VOWELS) ctx.note(`forgets vars between calls: the second call's total was ${totals[1]}, not ${2 * VOWELS}`);
    }
    await repeat(WARMUP, async () => (await plugin.call(PLUGIN_FUNCTION, PLUGIN_INPUT), 0));
    return plugin;
  } catch (e) {
    await plugin.dispose();
    throw e;
  }
}

/** Each call timed on its own, in µs. */
async function callLatency(rt: BenchRuntime, ctx: Context, keepState: boolean) {
  const plugin = await loaded(rt, ctx, keepState);
  try {
    const samples = await repeat({ count: ctx.quick ? 300 : 2000, maxMs: ctx.quick ? 2000 : 6000, min: 50 }, async () => {
      const start = performance.now();
      await plugin.call(PLUGIN_FUNCTION, PLUGIN_INPUT);
      return (performance.now() - start) * 1000;
    });
    if (samples.length >= 4 * DRIFT_WINDOW) {
      const first = median(samples.slice(0, DRIFT_WINDOW));
      const last = median(samples.slice(-DRIFT_WINDOW));
      if (last > 2 * first) ctx.note(`slows down as calls accumulate: median ${first.toFixed(0)} µs over the first ${DRIFT_WINDOW} timed calls, ${last.toFixed(0)} µs over the last ${DRIFT_WINDOW}`);
    }
    return latency(samples);
  } finally {
    await plugin.dispose();
  }
}

/** Calls one after another (RATE: so many, or for so long); calls/s. */
async function callRate(rt: BenchRuntime, ctx: Context, keepState: boolean) {
  const plugin = await loaded(rt, ctx, keepState);
  try {
    const { calls, ms } = ctx.quick ? RATE.quick : RATE;
    let done = 0;
    const start = performance.now();
    const end = start + ms;
    while (done < calls && performance.now() < end) {
      await plugin.call(PLUGIN_FUNCTION, PLUGIN_INPUT);
      done++;
    }
    const elapsed = performance.now() - start;
    ctx.note(`${done} calls in ${elapsed.toFixed(0)} ms`);
    return done / (elapsed / 1000);
  } finally {
    await plugin.dispose();
  }
}

/** What a runtime must have for each plugin metric, and what its cell says when it has not. */
const HAS_PLUGINS: Need = [(rt) => rt.plugins !== undefined, 'has no plugins'];
export const PLUGIN_NEEDS: Record<PluginMetricId, Need> = {
  'plugin-call': HAS_PLUGINS,
  'plugin-call-kept': HAS_PLUGINS,
  'plugin-churn': HAS_PLUGINS,
  'plugin-churn-kept': HAS_PLUGINS,
};

export const PLUGIN_MEASURES: Record<PluginMetricId, Measure> = {
  'plugin-call': (rt, ctx) => callLatency(rt, ctx, false),
  'plugin-call-kept': (rt, ctx) => callLatency(rt, ctx, true),
  'plugin-churn': (rt, ctx) => callRate(rt, ctx, false),
  'plugin-churn-kept': (rt, ctx) => callRate(rt, ctx, true),
};

export const PLUGIN_METRICS = Object.keys(PLUGIN_MEASURES) as PluginMetricId[];
