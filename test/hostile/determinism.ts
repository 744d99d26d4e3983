// Determinism end to end: a program that prints times, sleeps and random bytes gives the same
// bytes and etags run after run — warm (one ZeroVM) and cold (a fresh ZeroVM and a fresh copy of
// the program each time). Shared by test/node/determinism-runs.test.ts and the browser test.
import type { Manifest, Report } from '../../src/index.js';

/** What a test needs of a runtime: a ZeroVM it can make, run on, and dispose of. */
export interface VmLike {
  run(manifest: Manifest): Promise<Report>;
  dispose(): void;
}

export const RUNS = 20;

/** The parts of a report that must not differ between equal runs (timings may). */
export function fingerprint(r: Report): string {
  return JSON.stringify({ status: r.status, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, channels: r.channels, etag: r.etag });
}

/** Runs the manifest RUNS times, half warm and half cold; returns every report. */
export async function warmAndCold(makeVm: () => VmLike, manifest: (fresh: boolean) => Manifest): Promise<Report[]> {
  const reports: Report[] = [];
  const warm = makeVm();
  try {
    for (let i = 0; i < RUNS / 2; i++) reports.push(await warm.run(manifest(false)));
  } finally {
    warm.dispose();
  }
  for (let i = 0; i < RUNS / 2; i++) {
    const cold = makeVm();
    try {
      reports.push(await cold.run(manifest(true)));
    } finally {
      cold.dispose();
    }
  }
  return reports;
}

/** Checks a set of reports that must be one and the same run; throws naming the first difference. */
export function expectIdentical(reports: Report[]): void {
  const first = fingerprint(reports[0]);
  if (reports[0].status !== 'ok' || reports[0].exitCode !== 0) throw new Error(`run failed: ${first}`);
  if (!reports[0].etag || reports[0].channels.some((c) => !c.etag)) throw new Error(`etags missing: ${first}`);
  reports.forEach((r, i) => {
    const f = fingerprint(r);
    if (f !== first) throw new Error(`run ${i} differs from run 0:\n${f}\n${first}`);
  });
}

/** The virtual clock's promises, read off clockrand's output: realtime from the epoch, sleeps taken at once. */
export function expectVirtualTime(report: Report, epochSeconds: number): void {
  const realtime = Number(/^realtime (\S+)$/m.exec(report.stdout)?.[1]);
  const slept = Number(/^after sleep (\S+)$/m.exec(report.stdout)?.[1]);
  if (!(realtime >= epochSeconds && realtime < epochSeconds + 0.001)) throw new Error(`realtime ${realtime} does not start at the epoch ${epochSeconds}`);
  // three 250 ms sleeps and one of 2 s, all virtual
  if (!(slept >= 2.75 && slept < 2.751)) throw new Error(`monotonic time after the sleeps is ${slept}, not 2.75 s and a few µs`);
}

/** The random bytes line of clockrand's output. */
export function randomLine(report: Report): string {
  return /^[0-9a-f]{64}$/m.exec(report.stdout)?.[0] ?? '';
}

/** clockrand's recorded run (clockrand.expected.json): every engine must give these very bytes and etags. */
export interface Golden {
  seed: number;
  epoch: number;
  stdout: string;
  etag: string;
  channels: { path: string; etag: string }[];
}

export function expectGolden(report: Report, golden: Golden): void {
  const got = { stdout: report.stdout, etag: report.etag, channels: report.channels.map((c) => ({ path: c.path, etag: c.etag })) };
  const want = { stdout: golden.stdout, etag: golden.etag, channels: golden.channels };
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`not the recorded run:\n${JSON.stringify(got)}\n${JSON.stringify(want)}`);
}
