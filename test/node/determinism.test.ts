// Virtual time and seeded randomness, alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadKeystream, seededRandom, TICK_NS, virtualClock } from '../../src/kernel/determinism.js';

await loadKeystream();

describe('virtualClock', () => {
  it('starts realtime at the epoch, monotonic at 0, and ticks 1 µs a read', () => {
    const clock = virtualClock(5_000_000n);
    assert.equal(clock.now(1), TICK_NS);
    assert.equal(clock.now(0), 5_000_000n + 2n * TICK_NS);
    assert.equal(clock.now(1), 3n * TICK_NS);
  });

  it('sleeps by moving time at once', () => {
    const clock = virtualClock(0n);
    clock.sleep(10_000_000_000n);
    assert.equal(clock.now(1), 10_000_000_000n + TICK_NS);
  });
});

describe('seededRandom', () => {
  const draw = (seed: number, sizes: number[]) => {
    const random = seededRandom(seed);
    return sizes.map((n) => {
      const buf = new Uint8Array(n);
      random(buf);
      return Buffer.from(buf).toString('hex');
    });
  };

  it('gives the same stream for the same seed, however it is cut', () => {
    assert.equal(draw(42, [10, 5000, 3]).join(''), draw(42, [5013]).join(''));
  });

  it('gives another stream for another seed', () => {
    assert.notEqual(draw(1, [32])[0], draw(2, [32])[0]);
  });

  it('is not all zeros', () => {
    assert.notEqual(draw(0, [16])[0], '0'.repeat(32));
  });
});
