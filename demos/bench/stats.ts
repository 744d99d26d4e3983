// Summaries of repeated measurements. Latencies report median and p99; rates report the median.

export interface Latency {
  p50: number;
  p99: number;
  n: number;
  /** Where a metric has a first run apart from the warm ones (image-30mb): the first's figure; p50 and p99 are then the warm runs'. */
  first?: number;
}

function sorted(xs: number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** The q-quantile by nearest rank (no interpolation: every reported figure was really seen). */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function latency(xs: number[]): Latency {
  return { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), n: xs.length };
}
