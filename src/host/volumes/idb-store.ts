// Volumes in IndexedDB, through idb-keyval: one object store of keys `head/NAME`,
// `version/NAME/000000001`, `tree/HASH` and `chunk/HASH`. A commit is one readwrite transaction
// with durability 'strict' — chunks, trees and version records put, then every head checked and
// moved — so a commit lands whole or not at all, whatever happens to the page or the tab, and two
// tabs committing to one volume are serialised by IndexedDB: the second finds the head moved.
import { createStore, del, delMany, get, getMany, keys, promisifyRequest, type UseStore } from 'idb-keyval';
import type { CommitFailure, VolumeCommit, VolumeHead, VolumeStore, VolumeVersion } from './store.js';
import { type Tree, treeBytes, treeFromBytes } from './tree.js';

const DB = 'zerovm-volumes';
const STORE = 'v';

/** idb-keyval's store, with readwrite transactions durable (committed means on disk). */
function durableStore(): UseStore {
  const plain = createStore(DB, STORE); // creates the database and its store
  let db: Promise<IDBDatabase> | null = null;
  return (mode, callback) => {
    db ??= plain('readonly', (s) => s.transaction.db);
    return db.then((d) => callback(d.transaction(STORE, mode, { durability: mode === 'readwrite' ? 'strict' : 'default' }).objectStore(STORE)));
  };
}

const versionKey = (name: string, version: number) => `version/${name}/${String(version).padStart(9, '0')}`;

export class IdbVolumeStore implements VolumeStore {
  private store = durableStore();

  head(name: string): Promise<VolumeHead | null> {
    return get<VolumeHead>(`head/${name}`, this.store).then((h) => h ?? null);
  }

  async tree(_name: string, root: string): Promise<Tree> {
    const bytes = await get<Uint8Array>(`tree/${root}`, this.store);
    if (!bytes) throw new Error(`volume tree ${root} is missing`);
    return treeFromBytes(bytes);
  }

  async chunks(_name: string, hashes: string[]): Promise<Uint8Array[]> {
    const found = await getMany<Uint8Array>(hashes.map((h) => `chunk/${h}`), this.store);
    return found.map((c, i) => {
      if (!c) throw new Error(`volume chunk ${hashes[i]} is missing`);
      return c;
    });
  }

  async commit(commits: VolumeCommit[]): Promise<'committed' | CommitFailure> {
    // A page that makes its first volume asks the browser not to evict its storage under pressure.
    if (commits.some((c) => c.base === 0)) void globalThis.navigator?.storage?.persist?.().catch(() => false);
    let conflict: string | null = null;
    try {
      await this.store('readwrite', (store) => {
        for (const c of commits) {
          // Chunks already there are not written again: a small change to a big file writes one.
          for (const [hash, bytes] of c.chunks) {
            const key = `chunk/${hash}`;
            const found = store.getKey(key);
            found.onsuccess = () => {
              if (found.result === undefined) store.put(bytes, key);
            };
          }
          store.put(treeBytes(c.tree), `tree/${c.head.root}`);
          const version: VolumeVersion = { ...c.head, at: Date.now() };
          store.put(version, versionKey(c.name, c.head.version));
          const head = store.get(`head/${c.name}`);
          head.onsuccess = () => {
            const now = (head.result as VolumeHead | undefined)?.version ?? 0;
            if (now !== c.base) {
              conflict ??= `volume ${c.name} is at version ${now}, not ${c.base} as when the run began`;
              store.transaction.abort();
              return;
            }
            store.put(c.head, `head/${c.name}`);
          };
        }
        return promisifyRequest(store.transaction);
      });
      return 'committed';
    } catch (e) {
      if (conflict) return { conflict };
      const error = e as DOMException | null;
      if (error?.name === 'QuotaExceededError') return { error: 'the browser refused the storage (QuotaExceededError): free some, or ask for more with navigator.storage.persist()' };
      return { error: `IndexedDB: ${error?.name ?? 'error'}: ${error?.message ?? String(e)}` };
    }
  }

  async history(name: string): Promise<VolumeVersion[]> {
    const prefix = `version/${name}/`;
    const all = (await keys<string>(this.store)).filter((k) => k.startsWith(prefix)).sort();
    return (await getMany<VolumeVersion>(all, this.store)).filter((v): v is VolumeVersion => v !== undefined);
  }

  async list(): Promise<string[]> {
    return (await keys<string>(this.store)).filter((k) => k.startsWith('head/')).map((k) => k.slice(5)).sort();
  }

  /** Forgets a volume: its head and history (chunks and trees other volumes may share stay). */
  async delete(name: string): Promise<void> {
    const prefix = `version/${name}/`;
    await delMany((await keys<string>(this.store)).filter((k) => k.startsWith(prefix)), this.store);
    await del(`head/${name}`, this.store);
  }
}
