// `zerovm volume`: the volumes `zerovm run --volume` mounts, outside any run, through vm.volumes'
// API over their host directories — list a directory of them, show one's history, export it as a
// tar, import a tar into one, restore an old version. A change is a commit, as a run's is.
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { VolumeReport } from '../contract/report.js';
import { tarEntries } from '../contract/tar.js';
import { Volumes } from '../host/volumes/api.js';
import { fileError, readBytes } from './files.js';
import { UsageError } from './flags.js';
import { VOLUME_HELP, type VolumeCommand } from './volume-args.js';
import { DirVolumeStore } from './volume-dir.js';
import { oneVolume, volumeDir } from './volume-storage.js';

/** Rows in aligned columns, two spaces apart: numbers to the right, text to the left. */
function table(header: string[], rows: (string | number)[][]): string {
  const numeric = header.map((_, i) => rows.some((r) => typeof r[i] === 'number'));
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd() + '\n').join('');
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** `volume ls DIR`: DIR must be a directory; one volume's own directory is not what ls lists. */
async function list(dir: string, asJson: boolean): Promise<string> {
  const info = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    throw fileError('volume ls', dir, e, e.code === 'ENOENT' ? 'no such directory' : undefined);
  });
  if (!info.isDirectory()) throw new UsageError(`volume ls ${dir}: not a directory`, '');
  if (existsSync(join(dir, 'HEAD'))) {
    throw new UsageError(`volume ls ${dir}: that is one volume's directory; ls takes the directory holding volumes (volume history ${dir} shows this one)`, '');
  }
  const volumes = await new Volumes(() => DirVolumeStore.under(dir)).list();
  if (asJson) return json(volumes);
  return table(['NAME', 'VERSION', 'FILES', 'BYTES', 'ETAG'], volumes.map((v) => [v.name, v.version, v.files, v.bytes, v.etag]));
}

async function history(dir: string, asJson: boolean): Promise<string> {
  const { name, volumes } = oneVolume('volume history', dir);
  await volumeDir('volume history', dir, dir, false);
  const versions = (await volumes.history(name)).map((v) => ({ version: v.version, when: new Date(v.at).toISOString(), files: v.files, bytes: v.bytes, etag: v.root }));
  if (asJson) return json(versions);
  return table(['VERSION', 'WHEN', 'FILES', 'BYTES', 'ETAG'], versions.map((v) => [v.version, v.when, v.files, v.bytes, v.etag]));
}

/** Refuses a version the volume never had, naming `shown` (the argument that gave it). */
async function checkVersion(shown: string, dir: string, volumes: Volumes, name: string, version: number): Promise<void> {
  const known = (await volumes.history(name)).map((v) => v.version);
  if (known.includes(version)) return;
  const has = known.length === 0 ? 'it has none yet' : known.length === 1 ? 'it has version 1 only' : `it has 1 to ${known.length}`;
  throw new UsageError(`${shown}: ${dir} has no version ${version} (${has})`, '');
}

async function exportTar(dir: string, version: number | undefined, output: string | undefined): Promise<void> {
  const { name, volumes } = oneVolume('volume export', dir);
  await volumeDir('volume export', dir, dir, false);
  if (version !== undefined) await checkVersion(`--version ${version}`, dir, volumes, name, version);
  if (output === undefined && process.stdout.isTTY) {
    throw new UsageError(`volume export ${dir}: a tar archive is not for a terminal: redirect stdout, or give -o FILE`, '');
  }
  const tar = await volumes.export(name, version);
  if (output !== undefined) {
    await writeFile(output, tar).catch((e: NodeJS.ErrnoException) => {
      throw fileError('-o', output, e, e.code === 'ENOENT' ? `no such directory ${dirname(output)}` : undefined);
    });
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(tar, (e) => (e ? reject(e) : resolve())));
}

/** The commit's outcome: the version it made (or the one it kept) on stdout, exit 0; or why not, exit 1. */
function landed(name: string, report: VolumeReport): number {
  if (report.outcome !== 'committed') {
    process.stderr.write(`zerovm: volume ${name} not changed (${report.outcome === 'conflict' ? 'a conflict' : report.outcome}): ${report.message}\n`);
    return 1;
  }
  const same = report.versionAfter === report.versionBefore ? ' (unchanged: it held these files already)' : '';
  process.stdout.write(`${name}: version ${report.versionAfter}${same}\n`);
  return 0;
}

async function importTar(dir: string, archive: string): Promise<number> {
  const { name, volumes } = oneVolume('volume import', dir);
  const bytes = await readBytes('volume import', archive, archive);
  // Read first, so that a file that is no tar is named as such (and no directory made for it).
  await tarEntries(bytes, '/').catch((e: Error) => {
    throw new UsageError(`volume import ${archive}: not a tar archive: ${e.message}`, '');
  });
  await volumeDir('volume import', dir, dir, true);
  return landed(name, await volumes.import(name, bytes));
}

async function restore(dir: string, version: number): Promise<number> {
  const { name, volumes } = oneVolume('volume restore', dir);
  await volumeDir('volume restore', dir, dir, false);
  await checkVersion(`volume restore ${dir} ${version}`, dir, volumes, name, version);
  return landed(name, await volumes.restore(name, version));
}

/** Runs a `zerovm volume` command: the exit code. */
export async function volumeCommand(command: VolumeCommand): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(VOLUME_HELP + '\n');
      return 0;
    case 'ls':
      process.stdout.write(await list(command.dir, command.json));
      return 0;
    case 'history':
      process.stdout.write(await history(command.dir, command.json));
      return 0;
    case 'export':
      await exportTar(command.dir, command.version, command.output);
      return 0;
    case 'import':
      return importTar(command.dir, command.archive);
    case 'restore':
      return restore(command.dir, command.version);
  }
}
