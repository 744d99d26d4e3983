// The volumes' code, loaded only when a run mounts a volume or the page calls the volumes API:
// a page that does neither never downloads it.
import type { Mount } from '../../contract/manifest.js';
import type { Volumes } from './api.js';
import type { VolumeRun } from './session.js';
import type { VolumeStore } from './store.js';

/** The run's volumes, when it mounts any (their code loaded only then: most runs mount none). */
export async function openVolumes(mounts: Mount[], store: () => VolumeStore | undefined, volumeBytes: number, awaiting: boolean): Promise<VolumeRun | null> {
  if (!mounts.some((m) => m.volume !== undefined)) return null;
  const { VolumeRun } = await import('./session.js');
  return VolumeRun.open(store(), mounts, volumeBytes, awaiting);
}

/**
 * The volumes API as a plain object of its methods (all async): the API's code is loaded by the
 * first call. `store` gives the host's volume storage (undefined where it has none).
 */
export function lazyVolumes(store: () => VolumeStore | undefined): Volumes {
  const api = import('./api.js').then(({ Volumes }) => new Volumes(() => {
    const found = store();
    if (!found) throw new Error('this host has no volume storage (in Node, give NodeZeroVM a volumes directory)');
    return found;
  }));
  api.catch(() => undefined); // a failed load rejects the call that needed it
  const lazy = <K extends VolumeMethod>(method: K) => (async (...args: unknown[]) => ((await api)[method] as (...a: unknown[]) => unknown)(...args)) as unknown as Volumes[K];
  return Object.fromEntries(VOLUME_METHODS.map((m) => [m, lazy(m)])) as unknown as Volumes;
}

/** The volumes API's methods, each loading the API on its first call. */
const VOLUME_METHODS = ['list', 'files', 'read', 'write', 'history', 'restore', 'export', 'import', 'delete'] as const;
type VolumeMethod = (typeof VOLUME_METHODS)[number];
// Checked when compiling: the list names every method of Volumes, and nothing else.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _everyMethod: Exact<VolumeMethod, keyof Volumes> = true;
void _everyMethod;
