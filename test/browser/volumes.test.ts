// Persistent volumes in the browser (IndexedDB): the cases of test/volumes/cases.ts in Chromium
// and Firefox, isolated and not.
import { ZeroVM } from '../../src/index.js';
import { volumeCases } from '../volumes/cases.js';

const locate = (name: string) => (['spin', 'needs-import', 'trap'].includes(name) ? `/test/fixtures/${name}.wasm` : `/test/hostile/${name}.wasm`);
// IndexedDB outlives a test run in the same profile: names of this run's own.
const run = Math.random().toString(36).slice(2, 8);

describe('volumes (browser, IndexedDB)', () => {
  const vm = new ZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of volumeCases) {
    it(c.name, async function () {
      this.timeout(120_000);
      await c.run(vm, locate, (name) => `${name}-${run}`);
    });
  }
});

describe('volumes in IndexedDB: what is stored', () => {
  const vm = new ZeroVM({ pool: 1 });
  after(() => vm.dispose());

  /** Every key of the volumes' object store, and the value at one. */
  const database = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('zerovm-volumes');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  async function stored(): Promise<{ keys: string[]; get: (key: string) => Promise<unknown> }> {
    const db = await database();
    const request = (r: IDBRequest) => new Promise<unknown>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
    const keys = (await request(db.transaction('v').objectStore('v').getAllKeys())) as string[];
    return { keys, get: (key) => request(db.transaction('v').objectStore('v').get(key)) };
  }

  it("a big file's chunks are stored a chunk each (not the whole file's buffer); delete() sweeps the chunks no other volume holds", async function () {
    this.timeout(60_000);
    const random = (n: number) => {
      const bytes = new Uint8Array(n);
      for (let at = 0; at < n; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(n, at + 65536)));
      return bytes;
    };
    const shared = random(1 << 20);
    const mine = new Uint8Array((1 << 20) + 4096);
    mine.set(shared);
    mine.set(random(4096), 1 << 20); // chunk 1: shared's bytes; chunk 2: its own
    const [a, b] = [`sweep-a-${run}`, `sweep-b-${run}`];
    await vm.volumes.write(a, 'big.bin', mine);
    await vm.volumes.write(b, 'shared.bin', shared);
    const before = await stored();
    const chunks = before.keys.filter((k) => k.startsWith('chunk/'));
    const sizes = await Promise.all(chunks.map(async (k) => ((await before.get(k)) as Uint8Array).buffer.byteLength));
    if (sizes.some((n) => n > 1 << 20)) throw new Error(`a chunk was stored with a buffer of ${Math.max(...sizes)} bytes`);
    await vm.volumes.delete(a);
    const after = await stored();
    const gone = chunks.filter((k) => !after.keys.includes(k));
    if (gone.length !== 1) throw new Error(`expected the one chunk only ${a} held to go, ${gone.length} went`);
    if (after.keys.some((k) => k.startsWith(`version/${a}/`) || k === `head/${a}`)) throw new Error('its history and head went too');
    const still = await vm.volumes.read(b, 'shared.bin');
    if (still?.length !== shared.length || still.some((x, i) => x !== shared[i])) throw new Error(`${b} still reads whole`);
    await vm.volumes.delete(b);
  });
});
