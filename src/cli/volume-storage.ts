// Where the command line's volumes are stored: a host directory per volume (volume-dir.ts),
// checked before it is used — and made when missing — so that a typo fails at once, naming its
// argument, rather than scattering a volume's files somewhere unmeant.
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Manifest } from '../contract/manifest.js';
import { Volumes } from '../host/volumes/api.js';
import { VOLUME_NAME, type VolumeStore } from '../host/volumes/store.js';
import type { CliOptions } from './args.js';
import { fileError } from './files.js';
import { UsageError } from './flags.js';
import { DirVolumeStore } from './volume-dir.js';

/** What a volume's directory holds (and `*.tmp`, a write under way): anything else is not a volume. */
const VOLUME_FILES = new Set(['HEAD', 'LOCK', 'chunks', 'trees', 'versions']);

/**
 * Checks that `dir` holds a volume, or nothing yet (a volume never committed); with `create`, makes
 * it when missing (its parent must exist). `flag` and `shown` name it in errors.
 */
export async function volumeDir(flag: string, shown: string, dir: string, create: boolean): Promise<void> {
  const info = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw fileError(flag, shown, e);
  });
  if (!info) {
    if (!create) throw new UsageError(`${flag} ${shown}: no such directory`, '');
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      throw fileError(flag, shown, e, e.code === 'ENOENT' ? `no such directory ${dirname(dir)}` : undefined);
    });
    return;
  }
  if (!info.isDirectory()) throw new UsageError(`${flag} ${shown}: not a directory`, '');
  const foreign = (await readdir(dir)).find((f) => !VOLUME_FILES.has(f) && !f.endsWith('.tmp'));
  if (foreign !== undefined) throw new UsageError(`${flag} ${shown}: not a volume's directory (it holds ${foreign})`, '');
}

/** The volume in directory `dir`, named by its base name, and the volumes API over it alone. */
export function oneVolume(flag: string, dir: string): { name: string; volumes: Volumes } {
  const name = basename(resolve(dir));
  if (!VOLUME_NAME.test(name)) throw new UsageError(`${flag} ${dir}: "${name}" is not a volume name (1 to 64 letters, digits, . _ and -)`, '');
  return { name, volumes: new Volumes(() => new DirVolumeStore(() => dir, async () => [name])) };
}

/**
 * The store of a run's volumes, each --volume NAME in its HOSTDIR (checked, made when missing);
 * none without --volume. A volume the manifest mounts must be one of them: a manifest says which
 * volume, never where it is stored.
 */
export async function runVolumes(manifest: Manifest, options: CliOptions): Promise<VolumeStore | undefined> {
  const dirs = options.volumeDirs;
  for (const { volume, guest } of manifest.mounts ?? []) {
    if (volume !== undefined && !dirs.has(volume)) {
      throw new UsageError(`--manifest ${options.manifestFile}: it mounts volume ${volume}: say where it is stored with --volume ${volume}=HOSTDIR:${guest}`, '');
    }
  }
  if (dirs.size === 0) return undefined;
  for (const [name, dir] of dirs) await volumeDir('--volume', `${name}=${dir}`, dir, true);
  return new DirVolumeStore((name) => dirs.get(name)!, async () => [...dirs.keys()]);
}
