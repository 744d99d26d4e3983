// The page's volume store and volumes API are objects whose code loads with their first call: the
// calls reach the loaded object (as its methods, `this` and all), and a load that fails fails only
// the call that needed it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyStore, lazyVolumes } from '../../src/host/volumes/lazy.js';
import type { VolumeStore } from '../../src/host/volumes/store.js';

class NamesStore {
  names = ['a', 'b'];
  async list() {
    return this.names;
  }
  async delete(name: string) {
    this.names = this.names.filter((n) => n !== name);
  }
}

describe('volume code loaded by the first call', () => {
  it('loads the store once, on the first call, and calls its methods on it', async () => {
    const real = new NamesStore();
    let loads = 0;
    const store = lazyStore(async () => {
      loads++;
      return real as unknown as VolumeStore;
    });
    assert.equal(loads, 0, 'nothing loaded before a call');
    assert.deepEqual(await store.list(), ['a', 'b']);
    await store.delete('a');
    assert.deepEqual(await store.list(), ['b']);
    assert.equal(loads, 1);
  });

  it('fails the call whose load failed, and loads again on the next', async () => {
    let loads = 0;
    const store = lazyStore(async () => {
      if (++loads === 1) throw new Error('chunk failed to load');
      return new NamesStore() as unknown as VolumeStore;
    });
    await assert.rejects(store.list(), { message: 'chunk failed to load' });
    assert.deepEqual(await store.list(), ['a', 'b']);
    assert.equal(loads, 2);
  });

  it('loads the volumes API, which says so when the host has no store', async () => {
    await assert.rejects(lazyVolumes(() => undefined).list(), { message: /this host has no volume storage/ });
  });
});
