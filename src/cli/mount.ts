// Copies a host directory into FsImage entries under a guest path: the VM sees a snapshot, and
// whatever it changes stays inside the VM.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsEntry } from '../contract/fs-image.js';
import type { Mount } from '../contract/manifest.js';

function guestJoin(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export async function readMount(mount: Mount): Promise<FsEntry[]> {
  if (!mount.host) return [];
  const entries: FsEntry[] = [];
  async function walk(host: string, guest: string): Promise<void> {
    const names = (await readdir(host)).sort();
    for (const name of names) {
      const hostPath = join(host, name);
      const guestPath = guestJoin(guest, name);
      const info = await lstat(hostPath);
      if (info.isSymbolicLink()) entries.push({ path: guestPath, type: 'symlink', target: await readlink(hostPath) });
      else if (info.isDirectory()) {
        entries.push({ path: guestPath, type: 'dir' });
        await walk(hostPath, guestPath);
      } else if (info.isFile()) entries.push({ path: guestPath, type: 'file', data: new Uint8Array(await readFile(hostPath)) });
      // sockets, fifos and devices are not copied: a VM has no way to use them
    }
  }
  try {
    await walk(mount.host, mount.guest);
  } catch (e) {
    throw new Error(`mount ${mount.host}:${mount.guest}: ${(e as Error).message}`);
  }
  return entries;
}
