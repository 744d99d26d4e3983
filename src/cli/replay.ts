// `zerovm replay MANIFEST REPORT`: a recorded run again, from the live input its report recorded
// (NodeZeroVM#replay), its output passed through as `zerovm run` passes a run's.
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { type ReplayOptions, UsageError } from './args.js';
import { openOutput, readJson, readManifestFile, writeJson } from './files.js';
import { NodeZeroVM } from './node-host.js';
import { exitCode, passThrough } from './outcome.js';

async function readReport(file: string): Promise<Report> {
  const report = await readJson('replay', file);
  if (typeof report !== 'object' || report === null || !('status' in report)) throw new UsageError(`replay ${file}: not a zerovm report`, '');
  return report as Report;
}

export async function replay(options: ReplayOptions): Promise<number> {
  const out = options.reportFile === undefined ? undefined : await openOutput('--report', options.reportFile);
  try {
    const manifest = (await readManifestFile('replay', options.manifestFile)) as Manifest; // checked by replay()
    const recorded = await readReport(options.recordFile);
    const vm = new NodeZeroVM({ pool: 1 });
    const ended = await passThrough((run) => vm.replay(manifest, recorded, run)).finally(() => vm.dispose());
    if (out) await writeJson(out, ended.report);
    const { etag } = ended.report;
    if (etag && recorded.etag && etag !== recorded.etag) {
      process.stderr.write(`zerovm: replay: run etag ${etag}, not the report's ${recorded.etag}: not the run the report recorded\n`);
    }
    return exitCode(ended);
  } finally {
    await out?.close();
  }
}
