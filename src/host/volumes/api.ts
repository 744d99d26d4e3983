// `vm.volumes`: the volumes a page (or Node) holds, outside any run — list, read a file, write one
// (a commit of its own), history, restore an old version (a new commit of its contents), export
// as a tar, import a tar (a commit replacing the contents), delete. Every change is a commit like
// a run's: compare-and-set on the head, so it never silently overwrites a run's commit.
import type { VolumeReport } from '../../contract/report.js';
import { current, landed, stage } from './session.js';
import { VOLUME_NAME, type VolumeStore, type VolumeVersion } from './store.js';
import { chunked, type Tree, type TreeEntry } from './tree.js';

export interface VolumeInfo {
  name: string;
  version: number;
  files: number;
  bytes: number;
  etag: string;
}

/** One path of a volume, as files() lists it. */
export type VolumeListing = { path: string; type: 'file'; size: number } | { path: string; type: 'dir' } | { path: string; type: 'symlink'; target: string };

const utf8 = new TextEncoder();

/** A path inside a volume, without its leading slash; an Error naming it when it is not one. */
function inside(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new Error(`${JSON.stringify(path)} is not a path inside a volume`);
  return parts.join('/');
}

function named(name: string): string {
  if (!VOLUME_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a volume name (1 to 64 letters, digits, . _ -)`);
  return name;
}

export class Volumes {
  constructor(private store: () => VolumeStore) {}

  async list(): Promise<VolumeInfo[]> {
    const store = this.store();
    const heads = await Promise.all((await store.list()).map(async (name) => ({ name, head: await store.head(name) })));
    return heads.flatMap(({ name, head }) => (head ? [{ name, version: head.version, files: head.files, bytes: head.bytes, etag: head.root }] : []));
  }

  /** A file's bytes as the volume's head holds them (or as `version` held them), or null when it has no such file. */
  async read(name: string, path: string, version?: number): Promise<Uint8Array | null> {
    const store = this.store();
    const tree = await this.treeAt(named(name), version);
    const file = tree.entries.find((e) => e.path === inside(path));
    if (file?.type !== 'file') return null;
    const chunks = await store.chunks(name, file.chunks);
    const all = new Uint8Array(file.size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }

  /** What the volume holds (at the head, or at `version`): every path in the order made, a file's size, a symlink's target; no contents read. */
  async files(name: string, version?: number): Promise<VolumeListing[]> {
    const tree = await this.treeAt(named(name), version);
    return tree.entries.map((e) => (e.type === 'file' ? { path: e.path, type: 'file', size: e.size } : e));
  }

  /** Writes one file (its directories made), as a commit of its own. */
  async write(name: string, path: string, data: Uint8Array | string): Promise<VolumeReport> {
    const rel = inside(path);
    const bytes = typeof data === 'string' ? utf8.encode(data) : data;
    return this.change(named(name), async (tree) => {
      const pieces = await chunked(bytes);
      const entries = tree.entries.filter((e) => e.path !== rel);
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (!entries.some((e) => e.path === dir)) entries.push({ path: dir, type: 'dir' });
      }
      entries.push({ path: rel, type: 'file', size: bytes.length, chunks: pieces.map(([h]) => h) });
      return { tree: { entries }, chunks: new Map(pieces) };
    });
  }

  history(name: string): Promise<VolumeVersion[]> {
    return this.store().history(named(name));
  }

  /** Makes `version`'s contents the head again, as a new version (history is never rewritten). */
  async restore(name: string, version: number): Promise<VolumeReport> {
    const old = await this.treeAt(named(name), version);
    return this.change(name, async () => ({ tree: old, chunks: new Map() }));
  }

  /** The volume's contents (at the head, or at `version`) as a tar archive. */
  async export(name: string, version?: number): Promise<Uint8Array> {
    const tree = await this.treeAt(named(name), version);
    const files = await Promise.all(
      tree.entries.map(async (e) => (e.type === 'file' ? { path: e.path, type: 'file' as const, data: (await this.read(name, e.path, version)) ?? new Uint8Array(0) } : e)),
    );
    // The tar code is loaded when a tar is made or read: most pages never do (docs/architecture.md, Size).
    const { packEntries } = await import('../../contract/tar.js');
    return packEntries(files);
  }

  /** Replaces the volume's contents with a tar archive's, as a commit. */
  async import(name: string, archive: Uint8Array): Promise<VolumeReport> {
    const { tarEntries } = await import('../../contract/tar.js');
    const entries = await tarEntries(archive, '/');
    return this.change(named(name), async () => {
      const chunks = new Map<string, Uint8Array>();
      const tree: TreeEntry[] = [];
      for (const e of entries) {
        const path = e.path.slice(1);
        if (e.type !== 'file') {
          tree.push({ ...e, path });
          continue;
        }
        const pieces = await chunked(e.data);
        for (const [h, b] of pieces) chunks.set(h, b);
        tree.push({ path, type: 'file', size: e.data.length, chunks: pieces.map(([h]) => h) });
      }
      return { tree: { entries: tree }, chunks };
    });
  }

  /** Forgets the volume and its history, and frees the storage of every file no other volume holds too. */
  delete(name: string): Promise<void> {
    return this.store().delete(named(name));
  }

  private async treeAt(name: string, version?: number): Promise<Tree> {
    const store = this.store();
    if (version === undefined) return (await current(store, name)).tree;
    const record = (await store.history(name)).find((v) => v.version === version);
    if (!record) throw new Error(`volume ${name} has no version ${version}`);
    return store.tree(name, record.root);
  }

  /** One commit of the volume's contents as `edit` makes them from its head. */
  private async change(name: string, edit: (tree: Tree) => Promise<{ tree: Tree; chunks: Map<string, Uint8Array> }>): Promise<VolumeReport> {
    const store = this.store();
    const base = await current(store, name);
    const { tree, chunks } = await edit(base.tree);
    const { commit, report } = await stage(name, base, tree, chunks);
    if (!commit) return report;
    return landed(await store.commit([commit]), { [name]: report }, [name])[name];
  }
}
