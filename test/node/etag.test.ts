// A channel's etag is XXH64 of every byte it carried, however the guest's writes split them: a
// first small write is held and hashed in one call (no streaming state), a second or a big one
// goes through the streaming state, and both give the same digest. Our wrapper of xxhash-wasm's
// module is checked against the library's own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import xxhash from 'xxhash-wasm';
import { etagModule } from '../../src/host/etag-module.js';
import { etagHashers } from '../../src/worker/etag.js';
import { noise } from '../noise.js';

/** Feeds `bytes` cut at `cuts` through one buffer written over like guest memory, and digests. */
function hashCut(make: () => ReturnType<ReturnType<typeof etagHashers>>, bytes: Uint8Array, cuts: number[]): string {
  const hasher = make();
  const buffer = new Uint8Array(bytes.length);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    buffer.set(bytes.subarray(at, cut), at);
    hasher.update(buffer.subarray(at, cut));
    buffer.fill(0, at, cut);
    at = cut;
  }
  return hasher.digest();
}

describe('etag hashers', async () => {
  const make = etagHashers(await etagModule());
  const { h64Raw } = await xxhash();
  const hex = (bytes: Uint8Array) => h64Raw(bytes).toString(16).padStart(16, '0');

  it('are compiled from the bytes of the xxhash-wasm package this one depends on', () => {
    const main = createRequire(import.meta.url).resolve('xxhash-wasm');
    const file = join(dirname(main), '../workerd/xxhash.wasm');
    const wasm = readFileSync(file);
    assert.deepEqual(WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name), ['mem', 'xxh32', 'init32', 'update32', 'digest32', 'xxh64', 'init64', 'update64', 'digest64']);
    const source = readFileSync(new URL('../../src/host/etag-module.ts', import.meta.url), 'utf8');
    assert.ok(source.includes(`'${wasm.toString('base64')}'`), `src/host/etag-module.ts holds the bytes of ${file}`);
  });

  it('give XXH64 of the whole, whatever the writes (and are not fooled by a write buffer reused)', () => {
    // XXH64 of nothing, seed 0: the published test vector.
    assert.equal(make().digest(), 'ef46db3751d8e999');
    const bytes = noise(20_000);
    // One write, held and hashed in one call at the digest (the most common case).
    for (const size of [1, 6, 100, 4096]) {
      const hasher = make();
      const buffer = bytes.slice(0, size);
      hasher.update(buffer);
      buffer.fill(0);
      assert.equal(hasher.digest(), hex(bytes.subarray(0, size)), `one write of ${size}`);
    }
    for (const cuts of [[], [6], [4096], [4097], [5, 9, 4000], [100, 10_000], [19_999]]) {
      assert.equal(hashCut(make, bytes, cuts), hex(bytes), `cuts ${cuts.join(',')}`);
    }
  });

  it('agree with xxhash-wasm on every length to 300, cut anywhere, and on writes over 1 MiB', () => {
    const bytes = noise(300);
    for (let length = 0; length <= 300; length++) {
      const whole = bytes.subarray(0, length);
      assert.equal(hashCut(make, whole, []), hex(whole), `${length} bytes in one write`);
      for (const cut of [1, length >> 1, length - 1]) {
        if (cut > 0 && cut < length) assert.equal(hashCut(make, whole, [cut]), hex(whole), `${length} bytes cut at ${cut}`);
      }
    }
    // Past the 1 MiB pieces a write is cut into, and past the hash's first memory page.
    const big = noise(3 * (1 << 20) + 12_345);
    assert.equal(hashCut(make, big, []), hex(big), 'one write of 3 MiB');
    assert.equal(hashCut(make, big, [7, 1 << 20, (1 << 21) + 5]), hex(big), '3 MiB in four writes');
  });

  it('keep their states apart when hashers are fed in turn, a held one digested and the memory grown between', async () => {
    const make = etagHashers(await etagModule()); // an instance of its own: its memory not grown yet
    const a = noise(50_000, 2);
    const b = noise(70_000, 3);
    const big = noise(3 * (1 << 20), 4);
    const ha = make();
    const hb = make();
    for (let at = 0; at < 70_000; at += 5_000) {
      if (at < a.length) ha.update(a.subarray(at, at + 5_000));
      hb.update(b.subarray(at, at + 5_000));
      if (at === 20_000) {
        const small = make(); // held: hashed in one call, over the input area the others use too
        small.update(b.subarray(0, 100));
        assert.equal(small.digest(), hex(b.subarray(0, 100)));
        const grower = make(); // a write past the memory's size: it grows, and every view is renewed
        grower.update(big);
        assert.equal(grower.digest(), hex(big));
      }
    }
    assert.equal(ha.digest(), hex(a));
    assert.equal(hb.digest(), hex(b));
  });
});
