// Volumes on the host's disk (Node, the CLI): a directory per volume holding `chunks/HASH`,
// `trees/HASH`, `versions/000000001.json` and `HEAD`. A commit writes its chunks and tree (each
// fsynced), then, under a lock, checks HEAD's version and writes its version record and the new
// HEAD (compare-and-set): the new HEAD is written
// to a temporary file, fsynced, and renamed into place, and the directory fsynced — so a crash at
// any moment leaves the old HEAD or the new one, never anything else. Several volumes in one
// commit are committed one after the other: each is atomic, together they are not.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommitFailure, VolumeCommit, VolumeHead, VolumeStore, VolumeVersion } from '../host/volumes/store.js';
import { type Tree, treeBytes, treeFromBytes } from '../host/volumes/tree.js';

const versionFile = (version: number) => `${String(version).padStart(9, '0')}.json`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Writes `bytes` to `path` durably: a temporary file, fsynced, renamed into place. */
async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether process `pid` is alive (a lock whose holder is gone can be taken). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirVolumeStore implements VolumeStore {
  /** `locate(name)` is the volume's directory (made when first committed). */
  constructor(
    private locate: (name: string) => string,
    /** The names it knows of, for list() (a root directory's subdirectories, or the CLI's --volume flags). */
    private names: () => Promise<string[]>,
  ) {}

  /** One directory holding a directory per volume. */
  static under(root: string): DirVolumeStore {
    return new DirVolumeStore(
      (name) => join(root, name),
      async () => (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name),
    );
  }

  async head(name: string): Promise<VolumeHead | null> {
    const text = await readFile(join(this.locate(name), 'HEAD'), 'utf8').catch(() => null);
    return text === null ? null : (JSON.parse(text) as VolumeHead);
  }

  async tree(name: string, root: string): Promise<Tree> {
    return treeFromBytes(new Uint8Array(await readFile(join(this.locate(name), 'trees', root))));
  }

  async chunks(name: string, hashes: string[]): Promise<Uint8Array[]> {
    const dir = join(this.locate(name), 'chunks');
    return Promise.all(hashes.map(async (h) => new Uint8Array(await readFile(join(dir, h)))));
  }

  async commit(commits: VolumeCommit[]): Promise<'committed' | CommitFailure> {
    for (const c of commits) {
      const outcome = await this.commitOne(c).catch((e: Error): CommitFailure => ({ error: `${this.locate(c.name)}: ${e.message}` }));
      if (outcome !== 'committed') return outcome;
    }
    return 'committed';
  }

  async history(name: string): Promise<VolumeVersion[]> {
    const dir = join(this.locate(name), 'versions');
    const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
    return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as VolumeVersion));
  }

  list(): Promise<string[]> {
    return this.names().then(async (names) => (await Promise.all(names.map(async (n) => ((await this.head(n)) ? n : null)))).filter((n): n is string => n !== null).sort());
  }

  async delete(name: string): Promise<void> {
    await rm(this.locate(name), { recursive: true, force: true });
  }

  private async commitOne(c: VolumeCommit): Promise<'committed' | CommitFailure> {
    const dir = this.locate(c.name);
    for (const sub of ['chunks', 'trees', 'versions']) await mkdir(join(dir, sub), { recursive: true });
    // Everything but HEAD first: a crash now leaves only unreferenced files behind.
    for (const [hash, bytes] of c.chunks) {
      const path = join(dir, 'chunks', hash);
      if (!(await exists(path))) await writeDurably(path, bytes);
    }
    await writeDurably(join(dir, 'trees', c.head.root), treeBytes(c.tree));
    await syncDir(join(dir, 'chunks'));
    return this.locked(dir, async () => {
      const now = (await this.head(c.name))?.version ?? 0;
      if (now !== c.base) return { conflict: `volume ${c.name} is at version ${now}, not ${c.base} as when the run began` };
      // The version record is the winner's alone: written under the lock, before HEAD names it.
      const version: VolumeVersion = { ...c.head, at: Date.now() };
      await writeDurably(join(dir, 'versions', versionFile(c.head.version)), new TextEncoder().encode(JSON.stringify(version)));
      await writeDurably(join(dir, 'HEAD'), new TextEncoder().encode(JSON.stringify(c.head)));
      await syncDir(dir);
      return 'committed';
    });
  }

  /** Runs `fn` holding the volume's lock (a LOCK directory naming its holder's pid). */
  private async locked<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const lock = join(dir, 'LOCK');
    for (let tries = 0; ; tries++) {
      try {
        await mkdir(lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => 'NaN'));
        // Its holder died mid-commit (the pid was never written, or the process is gone): take it over.
        if ((Number.isNaN(holder) && tries > 50) || (!Number.isNaN(holder) && !alive(holder))) await rm(lock, { recursive: true, force: true });
        else await new Promise((r) => setTimeout(r, 2));
      }
    }
    try {
      await writeDurably(join(lock, 'pid'), new TextEncoder().encode(String(process.pid)));
      return await fn();
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}
