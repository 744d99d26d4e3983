// A run's volumes: a snapshot of each as of the run's start (its files put in the VM's filesystem,
// each tagged with its place in the snapshot so that an unchanged file need not come back), and at
// the end, by each mount's commit rule, one commit of everything the run changed — or nothing.
import { concatBytes } from '../../contract/bytes.js';
import type { AwaitedFile, FsArea, FsEntry, VolumeEntry } from '../../contract/fs-image.js';
import type { Mount } from '../../contract/manifest.js';
import type { RunStatus, VolumeReport } from '../../contract/report.js';
import { Refusal } from '../refusal.js';
import type { VolumeCommit, VolumeHead, VolumeStore } from './store.js';
import { changedPaths, chunked, EMPTY_TREE, type Tree, type TreeEntry, treeHash, treeSize } from './tree.js';

interface Snapshot {
  mount: Required<Pick<Mount, 'guest' | 'volume' | 'commit'>> & { readonly: boolean };
  head: VolumeHead;
  tree: Tree;
}

/** How a run ended, as far as commit rules care. */
export interface Ending {
  status: RunStatus;
  exitCode: number | null;
}

const join = (guest: string, path: string) => (guest === '/' ? `/${path}` : `${guest}/${path}`);

/** The head of a volume never committed: version 0, empty. */
async function emptyHead(): Promise<VolumeHead> {
  return { version: 0, root: await treeHash(EMPTY_TREE), files: 0, bytes: 0 };
}

export class VolumeRun {
  private constructor(
    private store: VolumeStore,
    private snapshots: Snapshot[],
    /** FsImage entries: every snapshot's contents under its mount. */
    readonly entries: (FsEntry | AwaitedFile)[],
    readonly areas: FsArea[],
  ) {}

  /** What went wrong bringing a volume's files in, by volume: said in its report. */
  private problems = new Map<string, string>();
  /** Bytes of each volume's files brought into the VM so far, by volume. */
  private loaded = new Map<string, number>();

  /**
   * Reads each volume's head now: the run's snapshot. With `awaiting` (the guest can wait), a
   * volume's small files go with the run and the rest stay here until the guest first opens them
   * (load()); without, every file goes with the run.
   */
  static async open(store: VolumeStore | undefined, mounts: Mount[], volumeBytes: number, awaiting = false): Promise<VolumeRun | null> {
    const volumes = mounts.filter((m) => m.volume !== undefined);
    if (volumes.length === 0) return null;
    if (!store) throw new Refusal('manifest.mounts: this host has no volume storage (in Node, give NodeZeroVM a volumes directory)');
    const entries: (FsEntry | AwaitedFile)[] = [];
    const areas: FsArea[] = [];
    const snapshots = await Promise.all(
      volumes.map(async (m): Promise<Snapshot> => {
        const name = m.volume!;
        const { head, tree } = await current(store, name);
        return { mount: { guest: m.guest, volume: name, commit: m.commit ?? 'exit0', readonly: m.readonly === true }, head, tree };
      }),
    );
    const sentBytes = new Map(snapshots.map((s) => [s.mount.volume, 0]));
    for (const [volume, s] of snapshots.entries()) {
      areas.push({ path: s.mount.guest, readonly: s.mount.readonly, ...(Number.isFinite(volumeBytes) ? { bytes: volumeBytes } : {}) });
      const sent = awaiting ? sentWithRun(s.tree) : new Set(s.tree.entries.keys());
      const hashes = [...new Set(s.tree.entries.flatMap((e, origin) => (e.type === 'file' && sent.has(origin) ? e.chunks : [])))];
      const contents = await store.chunks(s.mount.volume, hashes).catch((e: Error) => {
        throw new Refusal(`manifest.mounts: volume ${s.mount.volume} could not be read: ${e.message}`);
      });
      const byHash = new Map(hashes.map((h, i) => [h, contents[i]]));
      s.tree.entries.forEach((e, origin) => {
        const path = join(s.mount.guest, e.path);
        if (e.type === 'dir') entries.push({ path, type: 'dir' });
        else if (e.type === 'symlink') entries.push({ path, type: 'symlink', target: e.target });
        else if (sent.has(origin)) {
          entries.push({ path, type: 'file', data: concatBytes(e.chunks.map((h) => byHash.get(h)!), e.size), origin });
          sentBytes.set(s.mount.volume, (sentBytes.get(s.mount.volume) ?? 0) + e.size);
        }
        else entries.push({ path, type: 'file', size: e.size, origin, volume });
      });
    }
    const run = new VolumeRun(store, snapshots, entries, areas);
    for (const [name, bytes] of sentBytes) run.loaded.set(name, bytes);
    return run;
  }

  /** Whether some file's bytes stay here until the guest opens it: the run needs a way to wait, and the loader. */
  get awaits(): boolean {
    return this.entries.some((e) => e.type === 'file' && !('data' in e));
  }

  /**
   * The volume loader's answer (see worker volumeLoader): a request of two u32s, the volume's
   * number and the file's origin in its snapshot; the file's bytes. A failure (the store could
   * not be read) fails the guest's open (EIO) and is said in the volume's report.
   */
  async load(request: Uint8Array): Promise<Uint8Array> {
    const view = new DataView(request.buffer, request.byteOffset, request.byteLength);
    const s = request.length === 8 ? this.snapshots[view.getUint32(0, true)] : undefined;
    const file = s?.tree.entries[view.getUint32(4, true)];
    if (!s || file?.type !== 'file') throw new Error('the volume loader was asked for no file of the snapshot');
    try {
      const bytes = concatBytes(await this.store.chunks(s.mount.volume, file.chunks), file.size);
      this.loaded.set(s.mount.volume, (this.loaded.get(s.mount.volume) ?? 0) + bytes.length);
      return bytes;
    } catch (e) {
      this.problems.set(s.mount.volume, `${join(s.mount.guest, file.path)} could not be read: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Guest paths whose state the worker sends back when the guest exits: volumes that may commit. */
  get collect(): string[] {
    return this.snapshots.filter((s) => !s.mount.readonly && s.mount.commit !== 'never').map((s) => s.mount.guest);
  }

  /**
   * Commits what the run changed, by each mount's rule: in one commit for every volume (all or
   * none), unless the run ended without an exit or the rule says no. `collected` holds the state
   * of each `collect` path, in order, when the guest exited.
   */
  async finish(ending: Ending, collected: VolumeEntry[][] | undefined): Promise<Record<string, VolumeReport>> {
    const reports: Record<string, VolumeReport> = {};
    const commits: VolumeCommit[] = [];
    const changed: string[] = [];
    const collectAt = this.collect;
    for (const s of this.snapshots) {
      const name = s.mount.volume;
      const same = { versionBefore: s.head.version, versionAfter: s.head.version, etagBefore: s.head.root, etagAfter: s.head.root, filesChanged: 0, bytesWritten: 0 };
      if (s.mount.readonly) {
        reports[name] = { outcome: 'read-only', ...same };
        continue;
      }
      const why = rollback(ending, s.mount.commit);
      const state = collected?.[collectAt.indexOf(s.mount.guest)];
      if (why || !state) {
        reports[name] = { outcome: 'rolled-back', ...same, message: why ?? 'the run did not say what the volume holds' };
        continue;
      }
      const { tree, chunks } = await newTree(s.tree, state);
      const staged = await stage(name, s, tree, chunks);
      reports[name] = staged.report;
      if (staged.commit) {
        commits.push(staged.commit);
        changed.push(name);
      }
    }
    const final = commits.length === 0 ? reports : landed(await this.store.commit(commits), reports, changed);
    for (const [name, problem] of this.problems) final[name].message = final[name].message ? `${final[name].message}; ${problem}` : problem;
    for (const [name, bytes] of this.loaded) final[name].bytesLoaded = bytes;
    return final;
  }
}

/** A volume's new contents against the version they were made on: its commit (none when nothing changed) and report. */
export async function stage(
  name: string,
  base: { head: VolumeHead; tree: Tree },
  tree: Tree,
  chunks: Map<string, Uint8Array>,
): Promise<{ commit: VolumeCommit | null; report: VolumeReport }> {
  const root = await treeHash(tree);
  const before = { versionBefore: base.head.version, etagBefore: base.head.root };
  if (root === base.head.root) {
    return { commit: null, report: { outcome: 'committed', ...before, versionAfter: base.head.version, etagAfter: root, filesChanged: 0, bytesWritten: 0 } };
  }
  const known = new Set(base.tree.entries.flatMap((e) => (e.type === 'file' ? e.chunks : [])));
  let bytesWritten = 0;
  for (const [hash, bytes] of chunks) if (!known.has(hash)) bytesWritten += bytes.length;
  const head: VolumeHead = { version: base.head.version + 1, root, files: tree.entries.filter((e) => e.type === 'file').length, bytes: treeSize(tree) };
  return {
    commit: { name, base: base.head.version, head, tree, chunks },
    report: { outcome: 'committed', ...before, versionAfter: head.version, etagAfter: root, filesChanged: changedPaths(base.tree, tree), bytesWritten },
  };
}

/** The reports once the store has answered: unchanged when it committed; a conflict or a roll-back for every changed volume when not. */
export function landed(outcome: Awaited<ReturnType<VolumeStore['commit']>>, reports: Record<string, VolumeReport>, changed: string[]): Record<string, VolumeReport> {
  if (outcome === 'committed') return reports;
  for (const name of changed) {
    const r = reports[name];
    reports[name] = {
      ...r,
      outcome: 'conflict' in outcome ? 'conflict' : 'rolled-back',
      versionAfter: r.versionBefore,
      etagAfter: r.etagBefore,
      bytesWritten: 0,
      message: 'conflict' in outcome ? outcome.conflict : outcome.error,
    };
  }
  return reports;
}

/** A volume's head and tree now (an empty volume when it has none). */
export async function current(store: VolumeStore, name: string): Promise<{ head: VolumeHead; tree: Tree }> {
  const head = (await store.head(name)) ?? (await emptyHead());
  return { head, tree: head.version === 0 ? EMPTY_TREE : await store.tree(name, head.root) };
}

/** A volume's files that go with the run (their bytes in its request): each up to this size... */
const SENT_FILE_BYTES = 64 * 1024;
/** ...while together they stay under this; the rest come when first opened. */
const SENT_BYTES = 1 << 20;

/**
 * Which files (by origin) go with the run when the rest can come on first open: the small ones,
 * in order, up to SENT_BYTES — one message beats a round trip per file, and listing a directory
 * then reading each of its small files is the common case.
 */
function sentWithRun(tree: Tree): Set<number> {
  const sent = new Set<number>();
  let bytes = 0;
  tree.entries.forEach((e, origin) => {
    if (e.type !== 'file') return;
    if (e.size === 0 || (e.size <= SENT_FILE_BYTES && bytes + e.size <= SENT_BYTES)) {
      sent.add(origin);
      bytes += e.size;
    }
  });
  return sent;
}

/** Why the changes are not kept, or null when the commit rule keeps them. */
function rollback(ending: Ending, rule: 'exit0' | 'always' | 'never'): string | null {
  if (ending.status !== 'ok') return `the run ended as ${ending.status}: nothing it changed is kept`;
  if (rule === 'never') return 'commit: never (a scratch copy)';
  if (rule === 'exit0' && ending.exitCode !== 0) return `the guest exited ${ending.exitCode} (commit: exit0 keeps changes on exit 0 only)`;
  return null;
}

/** The tree the run left, and the chunks of its new or changed files. */
async function newTree(before: Tree, state: VolumeEntry[]): Promise<{ tree: Tree; chunks: Map<string, Uint8Array> }> {
  const chunks = new Map<string, Uint8Array>();
  const entries = await Promise.all(
    state.map(async (e): Promise<TreeEntry> => {
      if (e.type !== 'file') return e;
      if ('origin' in e) {
        const was = before.entries[e.origin];
        if (was?.type !== 'file') throw new Error(`a volume file's origin ${e.origin} is not a file of its snapshot`);
        return { path: e.path, type: 'file', size: was.size, chunks: was.chunks };
      }
      const pieces = await chunked(e.data);
      for (const [hash, bytes] of pieces) chunks.set(hash, bytes);
      return { path: e.path, type: 'file', size: e.data.length, chunks: pieces.map(([h]) => h) };
    }),
  );
  return { tree: { entries }, chunks };
}
