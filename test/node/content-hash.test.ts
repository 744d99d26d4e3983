// A program's content hash is SHA-256 over its 1 MiB pieces' SHA-256s, whatever cuts the bytes came
// in: a download's chunks, or the bytes given whole. node:crypto computes the same independently.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type BodySink } from '../../src/host/body.js';
import { ContentHasher, contentHash, HASH_PIECE, HashingSink } from '../../src/host/content-hash.js';
import { noise } from '../noise.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** The definition, written out with node:crypto: every piece (one empty piece for no bytes), then the hash of their hashes. */
function expected(bytes: Uint8Array): string {
  const digests: Buffer[] = [];
  for (let at = 0; at < bytes.length || digests.length === 0; at += HASH_PIECE) digests.push(sha(bytes.subarray(at, at + HASH_PIECE)));
  return sha(Buffer.concat(digests)).toString('hex');
}

async function hashCut(bytes: Uint8Array, cuts: number[]): Promise<string> {
  const hasher = new ContentHasher();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    hasher.push(bytes.subarray(at, cut));
    at = cut;
  }
  assert.equal(hasher.size, bytes.length);
  return hasher.end();
}

describe('content hash', () => {
  const bytes = noise(3 * HASH_PIECE + 12_345, 5);

  it('is SHA-256 over the 1 MiB pieces\' SHA-256s, for no bytes, part of a piece, whole pieces and more', async () => {
    for (const length of [0, 1, 64, HASH_PIECE - 1, HASH_PIECE, HASH_PIECE + 1, 2 * HASH_PIECE, bytes.length]) {
      const part = bytes.subarray(0, length);
      assert.equal(await contentHash(part), expected(part), `${length} bytes`);
    }
  });

  it('does not depend on how the bytes were cut', async () => {
    const whole = expected(bytes);
    const P = HASH_PIECE;
    for (const cuts of [[], [1], [P], [P - 1, P + 1], [10, 20, 30, 2 * P + 7], [P / 2, P + P / 2, 3 * P], Array.from({ length: 200 }, (_, i) => (i + 1) * 16_411)]) {
      assert.equal(await hashCut(bytes, cuts), whole, `cut at ${cuts.length > 5 ? `${cuts.length} places` : cuts.join(',')}`);
    }
  });

  it('gives a program made of another\'s pieces\' hashes a hash of its own', async () => {
    const big = bytes.subarray(0, 2 * HASH_PIECE);
    const digests = new Uint8Array(Buffer.concat([sha(big.subarray(0, HASH_PIECE)), sha(big.subarray(HASH_PIECE))]));
    assert.notEqual(await contentHash(digests), await contentHash(big));
    assert.equal(await contentHash(big), sha(digests).toString('hex'), 'the big one\'s hash is that of its pieces\' hashes');
  });

  it('hashes a body as it passes to the sink behind it, or keeps the body itself when there is none', async () => {
    const given: Uint8Array[] = [];
    const inner: BodySink = { push: (chunk) => given.push(chunk), end: () => new Uint8Array([1, 2, 3]) };
    const passing = new HashingSink(inner);
    const keeping = new HashingSink(null);
    for (let at = 0; at < bytes.length; at += 100_000) {
      passing.push(bytes.subarray(at, at + 100_000), bytes.length);
      keeping.push(bytes.subarray(at, at + 100_000), bytes.length);
    }
    assert.deepEqual(passing.end(), new Uint8Array([1, 2, 3]), 'the inner sink\'s end');
    assert.equal(given.length, Math.ceil(bytes.length / 100_000));
    assert.deepEqual(keeping.end(), bytes);
    assert.equal(await passing.hasher.end(), expected(bytes));
    assert.equal(await keeping.hasher.end(), expected(bytes));
  });
});
