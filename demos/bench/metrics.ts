// What is measured, in what unit, which way is better, and the project's goals. Shared by the
// page (charts), the runner (table) and the JSON output, so that all three say the same thing.
import type { Latency } from './stats.js';

/** compile-clang and its parts (COMPILE_METRICS). */
export type CompileMetricId = 'compile-clang' | 'compile-clang-fetch' | 'compile-clang-compile' | 'compile-clang-run';

export type MetricId =
  | 'warm-spawn'
  | 'cold-spawn'
  | 'first-run'
  | 'churn'
  | 'syscall'
  | 'stdout-etag-on'
  | 'stdout-etag-off'
  | 'file-io'
  | 'compute'
  | 'timeout-end'
  | 'live-roundtrip'
  | 'commit-64mib'
  | 'commit-1000-files'
  | 'spawn-volume-100mib'
  | 'image-30mb'
  | 'plugin-call'
  | 'plugin-call-kept'
  | 'plugin-churn'
  | 'plugin-churn-kept'
  | CompileMetricId
  | 'size-core'
  | 'size-element';

/** How long a fresh host is left alone before its first run (first-run): time for its workers to boot. */
export const HOST_UP_MS = 200;

export interface MetricInfo {
  title: string;
  unit: string;
  better: 'lower' | 'higher';
  /** The project's goal for our runtime (issue #4); printed beside the figure, never asserted. */
  goal?: { value: number; text: string };
}

export const METRICS: Record<MetricId, MetricInfo> = {
  'warm-spawn': { title: 'warm spawn (run → report)', unit: 'ms', better: 'lower', goal: { value: 0.5, text: 'p50 ≤ 0.5 ms' } },
  'cold-spawn': { title: 'cold spawn (fresh host + module)', unit: 'ms', better: 'lower' },
  'first-run': { title: `first run on a fresh host, up for ${HOST_UP_MS} ms (fresh module)`, unit: 'ms', better: 'lower' },
  churn: { title: 'churn (hello VMs/s, 5 s)', unit: 'VMs/s', better: 'higher', goal: { value: 3000, text: '≥ 3,000 VMs/s' } },
  syscall: { title: 'syscall (1-byte fd_write, discarded)', unit: 'ns/call', better: 'lower', goal: { value: 150, text: '≤ 150 ns' } },
  'stdout-etag-on': { title: 'stdout 64 KiB writes, captured, etag on', unit: 'MB/s', better: 'higher' },
  'stdout-etag-off': { title: 'stdout 64 KiB writes, captured, etag off', unit: 'MB/s', better: 'higher', goal: { value: 1000, text: '≥ 1 GB/s' } },
  'file-io': { title: 'in-memory file: write + read 64 MiB', unit: 'MB/s', better: 'higher' },
  compute: { title: 'compute: sha256 64 MiB, runtime / bare', unit: '×', better: 'lower', goal: { value: 1.02, text: '≤ 1.02' } },
  'timeout-end': { title: 'timeout → report (spin, limit 100 ms)', unit: 'ms past the limit', better: 'lower', goal: { value: 50, text: '≤ 50 ms (#3)' } },
  'live-roundtrip': { title: 'live stdin round trip (page → guest read → write → page)', unit: 'µs', better: 'lower' },
  'commit-64mib': { title: 'volume commit: one 64 MiB file (run less the same run without the volume)', unit: 'MB/s', better: 'higher' },
  'commit-1000-files': { title: 'volume commit: 1,000 files of 4 KiB (run less the same run without the volume)', unit: 'files/s', better: 'higher' },
  'spawn-volume-100mib': { title: 'warm spawn with a 100 MiB volume of 1,000 files mounted', unit: 'ms', better: 'lower' },
  'image-30mb': { title: 'run on a 30 MB tar image: first on a fresh host, then warm', unit: 'ms', better: 'lower' },
  'plugin-call': { title: 'plugin call, count_vowels (ours: a fresh instance per call, the default)', unit: 'µs', better: 'lower' },
  'plugin-call-kept': { title: 'plugin call, count_vowels, one instance kept (ours: keepState)', unit: 'µs', better: 'lower' },
  'plugin-churn': { title: 'plugin calls/s, one after another (ours: a fresh instance each)', unit: 'calls/s', better: 'higher' },
  'plugin-churn-kept': { title: 'plugin calls/s, one after another, one instance kept', unit: 'calls/s', better: 'higher' },
  'compile-clang': { title: 'clang (75 MB) by URL: vm.run() → compiled (fetch + hash + compile)', unit: 'ms', better: 'lower' },
  'compile-clang-fetch': { title: '… of which the fetch (vm.run() → last byte)', unit: 'ms', better: 'lower' },
  'compile-clang-compile': { title: '… of which the compile (report.timings.compileMs)', unit: 'ms', better: 'lower' },
  'compile-clang-run': { title: 'then compiled → report of one clang -cc1 -O2 run', unit: 'ms', better: 'lower' },
  'size-core': { title: 'core runtime (page + worker), min+gzip', unit: 'bytes', better: 'lower', goal: { value: 20_000, text: '≤ 20 KB' } },
  'size-element': { title: '<zero-vm> with dependencies, min+gzip', unit: 'bytes', better: 'lower' },
};

/**
 * Metrics about live channels, whose figure depends on how a guest waits: the browser runner
 * measures them a second time on a page without cross-origin isolation (the JSPI path).
 */
export const LIVE_METRICS: MetricId[] = ['live-roundtrip'];

/**
 * Metrics measured a second time without isolation too: the live ones, and the cost of a VM on a
 * page whose output travels as messages (no shared memory).
 */
export const UNISOLATED_METRICS: MetricId[] = ['cold-spawn', 'first-run', 'warm-spawn', 'churn', ...LIVE_METRICS]; // cold first, as in MEASURES

/**
 * compile-clang and its parts: one measurement (test/bench/compile.ts: three page loads in one
 * browser profile, Chromium only), a section of its own whose columns are the page loads. Any of
 * these ids in --only measures it, and gives every row.
 */
export const COMPILE_METRICS: CompileMetricId[] = ['compile-clang', 'compile-clang-fetch', 'compile-clang-compile', 'compile-clang-run'];

/** A measured figure: a latency distribution, or a single number (a rate, a ratio, a size). */
export type Figure = Latency | number;

export interface MetricResult {
  id: MetricId;
  /** By runtime name; null where the runtime could not run it (with the reason in `notes`). */
  values: Record<string, Figure | null>;
  notes?: string[];
}

export interface Section {
  /** Where it ran: 'chromium 1xx', 'node 20.x'. */
  env: string;
  /** Runtime names, ours first. */
  runtimes: string[];
  metrics: MetricResult[];
  notes?: string[];
  /** The ratio column's label where the columns are not runtimes ('ours/peer' by default). */
  ratio?: string;
}

/** The figure a ratio or a chart uses: the median for latencies. */
export function headline(f: Figure): number {
  return typeof f === 'number' ? f : f.p50;
}

/** ours / peer, on the headline figure. */
export function ratio(ours: Figure | null | undefined, peer: Figure | null | undefined): number | null {
  if (ours == null || peer == null) return null;
  const p = headline(peer);
  return p === 0 ? null : headline(ours) / p;
}

/** Whether our figure meets the goal (undefined when the metric has no goal or no figure). */
export function meetsGoal(id: MetricId, ours: Figure | null | undefined): boolean | undefined {
  const goal = METRICS[id].goal;
  if (!goal || ours == null) return undefined;
  const v = headline(ours);
  return METRICS[id].better === 'lower' ? v <= goal.value : v >= goal.value;
}
