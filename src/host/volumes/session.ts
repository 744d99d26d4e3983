// A run's volumes: a snapshot of each as of the run's start (its files put in the VM's filesystem,
// each tagged with its place in the snapshot so that an unchanged file need not come back), and at
// the end, by each mount's commit rule, one commit of everything the run changed — or nothing.
import { concatBytes } from '../../contract/bytes.js';
import type { FsArea, FsEntry, VolumeEntry } from '../../contract/fs-image.js';
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
    readonly entries: FsEntry[],
    readonly areas: FsArea[],
  ) {}

  /** Reads each volume's head and contents now: the run's snapshot. */
  static async open(store: VolumeStore | undefined, mounts: Mount[], volumeBytes: number): Promise<VolumeRun | null> {
    const volumes = mounts.filter((m) => m.volume !== undefined);
    if (volumes.length === 0) return null;
    if (!store) throw new Refusal('manifest.mounts: this host has no volume storage (in Node, give NodeZeroVM a volumes directory)');
    const entries: FsEntry[] = [];
    const areas: FsArea[] = [];
    const snapshots = await Promise.all(
      volumes.map(async (m): Promise<Snapshot> => {
        const name = m.volume!;
        const { head, tree } = await current(store, name);
        return { mount: { guest: m.guest, volume: name, commit: m.commit ?? 'exit0', readonly: m.readonly === true }, head, tree };
      }),
    );
    for (const s of snapshots) {
      areas.push({ path: s.mount.guest, readonly: s.mount.readonly, ...(Number.isFinite(volumeBytes) ? { bytes: volumeBytes } : {}) });
      const files = s.tree.entries.filter((e) => e.type === 'file');
      const contents = await store.chunks(s.mount.volume, [...new Set(files.flatMap((f) => f.chunks))]).then(
        (chunks) => chunks,
        (e: Error) => {
          throw new Refusal(`manifest.mounts: volume ${s.mount.volume} could not be read: ${e.message}`);
        },
      );
      const byHash = new Map<string, Uint8Array>();
      [...new Set(files.flatMap((f) => f.chunks))].forEach((h, i) => byHash.set(h, contents[i]));
      s.tree.entries.forEach((e, origin) => {
        const path = join(s.mount.guest, e.path);
        if (e.type === 'dir') entries.push({ path, type: 'dir' });
        else if (e.type === 'symlink') entries.push({ path, type: 'symlink', target: e.target });
        else entries.push({ path, type: 'file', data: concatBytes(e.chunks.map((h) => byHash.get(h)!), e.size), origin });
      });
    }
    return new VolumeRun(store, snapshots, entries, areas);
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
    if (commits.length === 0) return reports;
    return landed(await this.store.commit(commits), reports, changed);
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
