// A channel's etag is XXH64 of every byte it carried, however the guest's writes split them: a
// first small write is held and hashed in one call (no streaming state), a second or a big one
// goes through the streaming state, and both give the same digest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import xxhash from 'xxhash-wasm';
import { etagHashers } from '../../src/worker/etag.js';

describe('etag hashers', () => {
  it('gives XXH64 of the whole, whatever the writes (and is not fooled by a write buffer reused)', async () => {
    const make = await etagHashers();
    const { h64Raw } = await xxhash();
    const hex = (bytes: Uint8Array) => h64Raw(bytes).toString(16).padStart(16, '0');
    // XXH64 of nothing, seed 0: the published test vector.
    assert.equal(make().digest(), 'ef46db3751d8e999');
    const data = new Uint8Array(20_000).map((_, i) => (i * 31 + 7) & 0xff);
    // One write, held and hashed in one call at the digest (the most common case).
    for (const size of [1, 6, 100, 4096]) {
      const hasher = make();
      const buffer = data.slice(0, size);
      hasher.update(buffer);
      buffer.fill(0);
      assert.equal(hasher.digest(), hex(data.subarray(0, size)), `one write of ${size}`);
    }
    for (const cuts of [[], [6], [4096], [4097], [5, 9, 4000], [100, 10_000], [19_999]]) {
      const hasher = make();
      const buffer = new Uint8Array(data.length); // one buffer, written over like guest memory
      let at = 0;
      for (const cut of [...cuts, data.length]) {
        buffer.set(data.subarray(at, cut), at);
        hasher.update(buffer.subarray(at, cut));
        buffer.fill(0, at, cut);
        at = cut;
      }
      assert.equal(hasher.digest(), hex(data), `cuts ${cuts.join(',')}`);
    }
  });
});
