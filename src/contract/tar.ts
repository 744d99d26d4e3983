// Tar archives (modern-tar reads and writes them): a tar image's files as filesystem entries under
// a guest path, and a volume's contents as a tar. Here because both sides use it: the worker
// unpacks an image once and keeps it, the host packs and unpacks volumes.
import { packTar, unpackTar } from 'modern-tar';
import type { FsEntry } from './fs-image.js';

/** A path inside an archive, made safe: no leading `/` or `./`, no `..`, no empty parts. */
function clean(name: string): string | null {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  return parts.join('/');
}

/** The archive's files, directories and symlinks as entries under `guest` (other kinds are left out). */
export async function tarEntries(archive: Uint8Array, guest: string): Promise<FsEntry[]> {
  // A tar is whole 512-byte blocks; strict parsing checks every header's checksum and magic.
  if (archive.length % 512 !== 0) throw new Error(`its length (${archive.length} bytes) is not a whole number of 512-byte blocks`);
  const entries: FsEntry[] = [];
  const under = (path: string) => (guest === '/' ? `/${path}` : `${guest}/${path}`);
  for (const { header, data } of await unpackTar(archive, { strict: true })) {
    const path = clean(header.name);
    if (!path) continue;
    switch (header.type ?? 'file') {
      case 'directory':
        entries.push({ path: under(path), type: 'dir' });
        break;
      case 'symlink':
        entries.push({ path: under(path), type: 'symlink', target: header.linkname ?? '' });
        break;
      case 'file':
        entries.push({ path: under(path), type: 'file', data: data ?? new Uint8Array(0) });
        break;
      default:
        break; // devices, fifos, hard links: nothing a VM can use
    }
  }
  return entries;
}

/** Entries (paths relative to the archive's root) as a tar, with fixed times so equal contents pack equally. */
export function packEntries(entries: ({ path: string; type: 'dir' } | { path: string; type: 'symlink'; target: string } | { path: string; type: 'file'; data: Uint8Array })[]): Promise<Uint8Array> {
  const mtime = new Date(0);
  return packTar(
    entries.map((e) => {
      switch (e.type) {
        case 'dir':
          return { header: { name: `${e.path}/`, type: 'directory' as const, size: 0, mtime, mode: 0o755 } };
        case 'symlink':
          return { header: { name: e.path, type: 'symlink' as const, size: 0, linkname: e.target, mtime } };
        case 'file':
          return { header: { name: e.path, type: 'file' as const, size: e.data.length, mtime, mode: 0o644 }, body: e.data };
      }
    }),
  );
}
