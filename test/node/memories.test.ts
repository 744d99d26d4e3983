// A worker's memories for modules that import theirs: a small one that never grew is given to the
// next VM of the same limits, zero-filled; any other is left to the GC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Memories } from '../../src/worker/memories.js';

const PAGE = 65536;
const shape = { initial: 2, maximum: 16 };

describe('Memories', () => {
  it('gives a memory back zero-filled, at its initial size, to the next VM of the same limits', () => {
    const memories = new Memories();
    const first = memories.take(shape);
    assert.equal(first.buffer.byteLength, 2 * PAGE);
    new Uint8Array(first.buffer).fill(7, 100, 200);
    memories.give({ memory: first, shape });
    const again = memories.take(shape);
    assert.equal(again, first);
    assert.ok(new Uint8Array(again.buffer).every((b) => b === 0), 'what the last VM wrote is gone');
    assert.notEqual(memories.take(shape), first); // given once, taken once
  });

  it('keeps no memory that grew, nor one of other limits', () => {
    const memories = new Memories();
    const grown = memories.take(shape);
    grown.grow(1);
    memories.give({ memory: grown, shape });
    assert.notEqual(memories.take(shape), grown);
    const other = memories.take(shape);
    memories.give({ memory: other, shape: { initial: 2, maximum: 32 } });
    assert.notEqual(memories.take(shape), other);
  });

  it('keeps no memory past 2 MiB (filling it would cost what a new one does)', () => {
    const memories = new Memories();
    const big = { initial: 64, maximum: 64 };
    const memory = memories.take(big);
    memories.give({ memory, shape: big });
    assert.notEqual(memories.take(big), memory);
  });
});
