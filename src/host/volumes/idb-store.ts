// Volumes in IndexedDB, through idb-keyval: one object store of keys `head/NAME`,
// `version/NAME/000000001`, `tree/HASH` and `chunk/HASH` (trees and chunks shared by volumes). A commit is one readwrite transaction
// with durability 'strict' — chunks, trees and version records put, then every head checked and
// moved — so a commit lands whole or not at all, whatever happens to the page or the tab, and two
// tabs committing to one volume are serialised by IndexedDB: the second finds the head moved.
import { createStore, get, getMany, promisifyRequest, type UseStore } from 'idb-keyval';
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
              // A view is stored with its whole buffer: a chunk of a big file is copied out first.
              if (found.result === undefined) store.put(bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice(), key);
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
    return this.store('readonly', (store) => promisifyRequest(store.getAll(under(`version/${name}/`))) as Promise<VolumeVersion[]>);
  }

  async list(): Promise<string[]> {
    const heads = await this.store('readonly', (store) => promisifyRequest(store.getAllKeys(under('head/'))));
    return (heads as string[]).map((k) => k.slice(5)).sort();
  }

  /**
   * Forgets a volume: its head and history, and every tree and chunk no other volume's version
   * still holds — in one transaction, so that no commit can come between the count and the delete.
   */
  async delete(name: string): Promise<void> {
    await this.store('readwrite', (store) => {
      store.delete(under(`version/${name}/`));
      store.delete(`head/${name}`);
      const versions = store.getAll(under('version/'));
      versions.onsuccess = () => {
        const roots = new Set((versions.result as VolumeVersion[]).map((v) => v.root));
        const chunks = new Set<string>();
        let trees = roots.size;
        const sweep = () => {
          const [treeKeys, chunkKeys] = [store.getAllKeys(under('tree/')), store.getAllKeys(under('chunk/'))];
          treeKeys.onsuccess = () => (treeKeys.result as string[]).forEach((k) => roots.has(k.slice(5)) || store.delete(k));
          chunkKeys.onsuccess = () => (chunkKeys.result as string[]).forEach((k) => chunks.has(k.slice(6)) || store.delete(k));
        };
        if (trees === 0) sweep();
        for (const root of roots) {
          const tree = store.get(`tree/${root}`);
          tree.onsuccess = () => {
            if (tree.result) for (const e of treeFromBytes(tree.result as Uint8Array).entries) if (e.type === 'file') e.chunks.forEach((c) => chunks.add(c));
            if (--trees === 0) sweep();
          };
        }
      };
      return promisifyRequest(store.transaction);
    });
  }
}

/** The keys that start with `prefix`. */
function under(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}
