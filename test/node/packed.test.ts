// The shared block's wire format for a warm run's request and result (contract/packed.ts): what
// goes in comes out the same, byte arrays in buffers of their own; what it cannot carry, or what
// does not fit, is refused (0), so that the run goes as a message instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pack, unpack } from '../../src/contract/packed.js';

const box = () => new Uint8Array(new SharedArrayBuffer(1 << 16));

describe('packed requests and results', () => {
  it('round-trips plain values, byte arrays and the numbers JSON cannot spell', () => {
    const b = box();
    const value = {
      text: 'héllo ✓ \u0000 end',
      list: [1, -2.5, true, null, 'x', [new Uint8Array([1, 2, 3])]],
      bytes: new Uint8Array([0, 255, 7]),
      empty: new Uint8Array(0),
      limits: { stream: Infinity, low: -Infinity, odd: NaN, zero: 0 },
      nested: { deeper: { files: [{ path: '/a', data: new Uint8Array([9, 8]) }] } },
    };
    const n = pack(value, b);
    assert.ok(n > 0);
    const back = unpack<typeof value>(b);
    assert.deepEqual(back, value);
    assert.ok(back.bytes instanceof Uint8Array && back.empty instanceof Uint8Array);
    assert.equal(back.limits.stream, Infinity);
    assert.ok(Number.isNaN(back.limits.odd));
    // Each array is a copy in a buffer of its own, out of shared memory.
    assert.equal(back.bytes.buffer.byteLength, 3);
    assert.ok(!(back.bytes.buffer instanceof SharedArrayBuffer));
    b.fill(0);
    assert.deepEqual([...back.nested.deeper.files[0].data], [9, 8]);
  });

  it('drops undefined fields, as a message would not (the types keep them optional)', () => {
    const b = box();
    assert.ok(pack({ a: 1, b: undefined }, b) > 0);
    const back = unpack<Record<string, unknown>>(b);
    assert.deepEqual(back, { a: 1 });
  });

  it('carries a Node Buffer as bytes (not as its toJSON spells it), and -0 as -0', () => {
    const b = box();
    assert.ok(pack({ stdin: Buffer.from('héllo'), zero: -0, list: [Buffer.from([1, 2])] }, b) > 0);
    const back = unpack<{ stdin: Uint8Array; zero: number; list: Uint8Array[] }>(b);
    assert.ok(back.stdin instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(back.stdin), 'héllo');
    assert.ok(Object.is(back.zero, -0));
    assert.deepEqual([...back.list[0]], [1, 2]);
  });

  it('refuses what only a message carries, an object using its mark, and what does not fit', () => {
    const b = box();
    const module = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    assert.equal(pack({ module }, b), 0);
    assert.equal(pack({ stats: new Float64Array(2) }, b), 0);
    assert.equal(pack({ when: new Map() }, b), 0);
    assert.equal(pack({ env: { '\u0000zerovm': [0, 0] } }, b), 0);
    assert.equal(pack({ when: new Date(0) }, b), 0); // its toJSON would make it a string
    assert.equal(pack({ bytes: new Uint8Array(1), when: new Date(0) }, b), 0);
    assert.equal(pack({ list: [1, undefined] }, b), 0); // JSON would make it null
    assert.equal(pack({ big: 1n }, b), 0);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.equal(pack(cycle, b), 0);
    assert.equal(pack({ bytes: new Uint8Array(1 << 16) }, b), 0);
    assert.equal(pack({ text: 'x'.repeat(1 << 16) }, b), 0);
    assert.ok(pack({ bytes: new Uint8Array((1 << 16) - 100) }, b) > 0);
  });
});
