#!/usr/bin/env node
// zerovm: run a WASI program in a disposable VM from the command line.
import { stat } from 'node:fs/promises';
import { version } from '../../package.json';
import { type CliOptions, HELP, parseCommand, USAGE, UsageError } from './args.js';
import { bindChannels } from './channels.js';
import { fileError, openOutput, writeJson } from './files.js';
import { buildManifest, savedManifest } from './manifest.js';
import { runInNode } from './node-host.js';
import { type Ended, exitCode, passThrough } from './outcome.js';
import { replay } from './replay.js';

/** Host directories are copied in at the start of the run: a missing one is the flag's fault, said now. */
async function checkDirs(options: CliOptions): Promise<void> {
  for (const { host } of options.mounts) {
    const info = await stat(host).catch((e: NodeJS.ErrnoException) => {
      throw fileError('--dir', host, e, e.code === 'ENOENT' ? 'no such directory' : undefined);
    });
    if (!info.isDirectory()) throw new UsageError(`--dir ${host}: not a directory`, '');
  }
}

async function run(options: CliOptions): Promise<number> {
  await checkDirs(options);
  const report = options.reportFile === undefined ? undefined : await openOutput('--report', options.reportFile);
  const save = options.saveManifestFile === undefined ? undefined : await openOutput('--save-manifest', options.saveManifestFile);
  try {
    const manifest = await buildManifest(options);
    const channels = await bindChannels(manifest, options);
    let ended: Ended;
    try {
      if (save) await writeJson(save, savedManifest(manifest));
      ended = await passThrough((run) => runInNode(manifest, { ...run, channels: channels.ends }));
    } catch (e) {
      await channels.close();
      throw e;
    }
    if (report) await writeJson(report, ended.report);
    const code = exitCode(ended);
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
