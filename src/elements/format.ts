// Small pure helpers shared by <zero-vm> and the playground: args from attributes, report lines.
import type { Report } from '../contract/report.js';

/** The `args` attribute's words: whitespace-separated, no quoting. */
export function splitArgs(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/** A duration as people read it: "0.4 ms", "3.2 ms", "148 ms", "2.35 s". */
export function formatMs(ms: number): string {
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "1.5 MiB", "640 KiB", "12 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The report in one line: "ok · exit 0 · 3.2 ms", "killed · 301 ms", "invalid". */
export function statusLine(report: Report): string {
  const parts: string[] = [report.status];
  if (report.exitCode !== null) parts.push(`exit ${report.exitCode}`);
  if (report.status !== 'invalid') parts.push(formatMs(report.timings.runMs));
  return parts.join(' · ');
}
