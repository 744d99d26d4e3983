// A volume version's tree: every path in it, in the order made (the guest's listing order), each
// file as the SHA-256 hashes of its 1 MiB chunks. Content-addressed: the tree's own hash is the
// version's root and its etag, so equal contents have equal etags on any machine, and a small
// change to a big file makes one new chunk.
import { sha256 } from '../sha256.js';

export const VOLUME_CHUNK = 1 << 20;

export type TreeEntry =
  | { path: string; type: 'dir' }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'file'; size: number; chunks: string[] };

export interface Tree {
  entries: TreeEntry[];
}

export const EMPTY_TREE: Tree = { entries: [] };

const utf8 = new TextEncoder();

/** The tree as canonical bytes: what its hash is of, and how it is stored. */
export function treeBytes(tree: Tree): Uint8Array {
  return utf8.encode(JSON.stringify(tree.entries.map((e) => (e.type === 'file' ? [e.path, e.size, e.chunks] : e.type === 'dir' ? [e.path] : [e.path, e.target, 'symlink']))));
}

export function treeFromBytes(bytes: Uint8Array): Tree {
  const rows = JSON.parse(new TextDecoder().decode(bytes)) as [string, ...unknown[]][];
  return {
    entries: rows.map((row): TreeEntry => {
      if (row.length === 1) return { path: row[0], type: 'dir' };
      if (row.length === 3 && row[2] === 'symlink') return { path: row[0], type: 'symlink', target: row[1] as string };
      return { path: row[0], type: 'file', size: row[1] as number, chunks: row[2] as string[] };
    }),
  };
}

/** The tree's hash: the version's root, and the volume's etag. */
export function treeHash(tree: Tree): Promise<string> {
  return sha256(treeBytes(tree));
}

/** A file's chunks, hashed: [hash, bytes] in order (an empty file has none). */
export async function chunked(data: Uint8Array): Promise<[string, Uint8Array][]> {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += VOLUME_CHUNK) pieces.push(data.subarray(at, Math.min(data.length, at + VOLUME_CHUNK)));
  return Promise.all(pieces.map(async (piece): Promise<[string, Uint8Array]> => [await sha256(piece), piece]));
}

/** Bytes a tree's files hold. */
export function treeSize(tree: Tree): number {
  let n = 0;
  for (const e of tree.entries) if (e.type === 'file') n += e.size;
  return n;
}

/** Paths added, removed, or changed (content, kind or target) from `before` to `after`. */
export function changedPaths(before: Tree, after: Tree): number {
  const key = (e: TreeEntry) => (e.type === 'file' ? `f${e.chunks.join(',')}:${e.size}` : e.type === 'dir' ? 'd' : `l${e.target}`);
  const old = new Map(before.entries.map((e) => [e.path, key(e)]));
  let changed = 0;
  for (const e of after.entries) {
    if (old.get(e.path) !== key(e)) changed++;
    old.delete(e.path);
  }
  return changed + old.size;
}
