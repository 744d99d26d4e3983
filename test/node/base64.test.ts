// Base64 for bytes in JSON (a manifest's { base64 } source, a report's recorded input): the same
// as Node's own for every length and byte, and bad text refused, saying where.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64, toBase64 } from '../../src/contract/base64.js';

describe('base64', () => {
  it('encodes and decodes as Node does, every length to 300 and every byte value', () => {
    let seed = 1;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n <= 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (n === 256 ? i : next()));
      const text = toBase64(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64'), `length ${n}`);
      assert.deepEqual(fromBase64(text), bytes, `length ${n}`);
    }
  });

  it('refuses what is not base64, saying where', () => {
    assert.throws(() => fromBase64('ab$d'), /not base64: "\$" at 2/);
    assert.throws(() => fromBase64('abcde'), /not base64/);
  });
});
