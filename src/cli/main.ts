#!/usr/bin/env node
// zerovm: run a WASI program in a disposable VM from the command line.
import { stat } from 'node:fs/promises';
import { version } from '../../package.json';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { type CliOptions, HELP, parseCommand, USAGE, UsageError } from './args.js';
import { bindChannels } from './channels.js';
import { fileError, isLocal, openOutput, writeJson } from './files.js';
import { buildManifest, savedManifest } from './manifest.js';
import { NodeZeroVM } from './node-host.js';
import { type Ended, exitCode, passThrough } from './outcome.js';
import { replay } from './replay.js';
import { volumeCommand } from './volume-command.js';
import { runVolumes } from './volume-storage.js';

/** Host directories and images are read at the start of the run: a missing one is the flag's fault, said now. */
async function checkMounts(options: CliOptions): Promise<void> {
  for (const { host, image } of options.mounts) {
    if (host !== undefined) await checkPath('--dir', host, 'directory');
    else if (typeof image === 'string' && isLocal(image)) await checkPath('--image', image, 'file');
  }
}

async function checkPath(flag: string, path: string, kind: 'directory' | 'file'): Promise<void> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw fileError(flag, path, e, e.code === 'ENOENT' ? `no such ${kind}` : undefined);
  });
  if (info.isDirectory() !== (kind === 'directory')) throw new UsageError(`${flag} ${path}: ${kind === 'directory' ? 'not a directory' : 'is a directory'}`, '');
}

/**
 * One line for each volume whose changes were not kept, saying why; none for `commit: never`,
 * which keeps nothing by design.
 */
function volumeNotes(manifest: Manifest, report: Report): string[] {
  const scratch = new Set((manifest.mounts ?? []).filter((m) => m.commit === 'never').map((m) => m.volume));
  return Object.entries(report.volumes ?? {}).flatMap(([name, v]) => {
    const after = v.retries ? `, after ${v.retries} ${v.retries === 1 ? 'retry' : 'retries'}` : '';
    if (v.outcome === 'conflict') return [`volume ${name} not committed (a conflict${after}): ${v.message}`];
    if (v.outcome === 'rolled-back' && !scratch.has(name)) return [`volume ${name} rolled back: ${v.message}`];
    return [];
  });
}

async function run(options: CliOptions): Promise<number> {
  await checkMounts(options);
  const report = options.reportFile === undefined ? undefined : await openOutput('--report', options.reportFile);
  const save = options.saveManifestFile === undefined ? undefined : await openOutput('--save-manifest', options.saveManifestFile);
  try {
    const manifest = await buildManifest(options);
    const volumes = await runVolumes(manifest, options);
    const channels = await bindChannels(manifest, options);
    const vm = new NodeZeroVM({ pool: 1, volumes });
    let ended: Ended;
    try {
      if (save) await writeJson(save, savedManifest(manifest));
      ended = await passThrough((run) => vm.run(manifest, { ...run, channels: channels.ends }));
    } catch (e) {
      await channels.close();
      throw e;
    } finally {
      vm.dispose();
    }
    if (report) await writeJson(report, ended.report);
    const code = exitCode(ended);
    for (const note of volumeNotes(manifest, ended.report)) process.stderr.write(`zerovm: ${note}\n`);
    // zerovm ends once the --out files hold all the guest wrote; one that could not is an error
    const failed = await channels.close();
    for (const problem of failed) process.stderr.write(`zerovm: ${problem}\n`);
    return failed.length > 0 && code === 0 ? 1 : code;
  } finally {
    await Promise.all([report?.close(), save?.close()]);
  }
}

async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP + '\n');
      return 0;
    case 'version':
      process.stdout.write(`zerovm ${version}\n`);
      return 0;
    case 'usage':
      process.stderr.write(`${USAGE}\n(see zerovm --help)\n`);
      return 2;
    case 'run':
      return run(command.options);
    case 'replay':
      return replay(command.options);
    case 'volume':
      return volumeCommand(command.command);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    const hint = e instanceof UsageError && e.hint ? ` ${e.hint}` : '';
    process.stderr.write(`zerovm: ${e.message}${hint}\n`);
    process.exitCode = 2;
  },
);
