// The volumes' code, loaded only when a run mounts a volume or the page calls the volumes API (or
// its store): a page that does neither never downloads it.
import type { Mount } from '../../contract/manifest.js';
import type { Volumes } from './api.js';
import type { VolumeRun } from './session.js';
import { madeOnce } from '../remember.js';
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
  return loadedByFirstCall(VOLUME_METHODS, () => import('./api.js').then(({ Volumes }) => new Volumes(() => {
    const found = store();
    if (!found) throw new Error('this host has no volume storage (in Node, give NodeZeroVM a volumes directory)');
    return found;
  })));
}

/** A volume store whose code is loaded by its first call: the page's IndexedDB store. */
export function lazyStore(load: () => Promise<VolumeStore>): VolumeStore {
  return loadedByFirstCall(STORE_METHODS, load);
}

/**
 * An object of `methods`, all async, each calling the one `load` gives, loaded by the first call.
 * A failed load rejects the call that needed it; the next call tries again.
 */
function loadedByFirstCall<T, K extends keyof T>(methods: readonly K[], load: () => Promise<T>): T {
  const loaded = madeOnce(load);
  const method = (name: K) => async (...args: unknown[]) => {
    const target = await loaded();
    return (target[name] as (...a: unknown[]) => unknown).apply(target, args);
  };
  return Object.fromEntries(methods.map((name) => [name, method(name)])) as T;
}

// Checked when compiling: each list names every method of its interface, and nothing else.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const VOLUME_METHODS = ['list', 'files', 'read', 'write', 'history', 'restore', 'export', 'import', 'delete'] as const;
const _everyMethod: Exact<(typeof VOLUME_METHODS)[number], keyof Volumes> = true;
const STORE_METHODS = ['head', 'tree', 'chunks', 'commit', 'history', 'list', 'delete'] as const;
const _everyStoreMethod: Exact<(typeof STORE_METHODS)[number], keyof VolumeStore> = true;
void _everyMethod;
void _everyStoreMethod;
