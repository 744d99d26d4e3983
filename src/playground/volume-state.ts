// What the playground shows of a volume, read through the volumes API (`vm.volumes`): its
// versions, newest first, and the files of the newest one; a file's text, for the viewer.
import type { Volumes } from '../host/volumes/api.js';
import type { VolumeVersion } from '../host/volumes/store.js';

export interface VolumeFile {
  /** Inside the volume, without a leading slash. */
  path: string;
  size: number;
}

export interface VolumeState {
  /** Newest first; empty for a volume never committed. */
  versions: VolumeVersion[];
  /** The newest version's files, in the order they were made. */
  files: VolumeFile[];
}

export interface FileText {
  path: string;
  version: number;
  size: number;
  /** The first SHOWN_BYTES of it, decoded as UTF-8 (bytes that are not read as U+FFFD). */
  text: string;
}

/** The viewer shows at most this much of a file. */
export const SHOWN_BYTES = 64 * 1024;

const decoder = new TextDecoder();

/** The volume's versions and its newest version's files. */
export async function readVolume(volumes: Volumes, name: string): Promise<VolumeState> {
  const versions = (await volumes.history(name)).reverse();
  const newest = versions[0];
  if (!newest) return { versions, files: [] };
  // That version's files, not the head's: the files are those of the version listed first, even
  // if a commit lands meanwhile.
  const files = (await volumes.files(name, newest.version)).flatMap((e) => (e.type === 'file' ? [{ path: e.path, size: e.size }] : []));
  return { versions, files };
}

/** `path`'s text as `version` holds it, or null when that version has no such file. */
export async function readText(volumes: Volumes, name: string, path: string, version: number): Promise<FileText | null> {
  const bytes = await volumes.read(name, path, version);
  if (!bytes) return null;
  return { path, version, size: bytes.length, text: decoder.decode(bytes.subarray(0, SHOWN_BYTES)) };
}
