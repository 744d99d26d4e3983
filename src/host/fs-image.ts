// Builds the VM's initial filesystem from the manifest: `files`, plus trees read from mounts.
import type { AwaitedFile, FsArea, FsEntry, FsImage } from '../contract/fs-image.js';
import { DEFAULT_PREOPEN } from './defaults.js';

const utf8 = new TextEncoder();

export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}

function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(dir + '/');
}

/** Where the kernel puts its devices (/dev/stdout, /dev/null, ...). */
const DEVICES = '/dev';

/**
 * `mounted` holds the entries read from mounts (already placed under their guest paths).
 * Mounts are preopened in the order given, so their descriptor numbers match other runtimes';
 * `/` is preopened last when there is no mount or a file lies outside every mount. Without `/`,
 * `/dev` is preopened last: wasi-libc opens a path only through a preopen above it, and
 * /dev/stdout must open whatever is mounted.
 */
export function buildFsImage(
  files: Record<string, string | Uint8Array> = {},
  mountGuests: string[] = [],
  mounted: (FsEntry | AwaitedFile)[] = [],
  areas: FsArea[] = [],
): FsImage {
  const entries: FsImage['entries'] = [...mountGuests.map((path): FsEntry => ({ path, type: 'dir' })), ...mounted];
  for (const [path, data] of Object.entries(files)) entries.push({ path, type: 'file', data: toBytes(data) });
  const preopens = [...mountGuests];
  const outside = Object.keys(files).some((p) => !mountGuests.some((m) => within(p, m)));
  if ((preopens.length === 0 || outside) && !preopens.includes(DEFAULT_PREOPEN)) preopens.push(DEFAULT_PREOPEN);
  if (!preopens.some((p) => within(DEVICES, p))) preopens.push(DEVICES);
  return { entries, preopens, ...(areas.length > 0 ? { areas } : {}) };
}
