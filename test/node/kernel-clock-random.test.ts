// Clocks and randomness as the guest sees them through the kernel: virtual time that moves 1 µs
// per read (and only then), a fixed resolution, and random bytes that depend on the seed alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockId, Errno } from '../../src/kernel/abi.js';
import { TICK_NS } from '../../src/kernel/determinism.js';
import { EPOCH, run } from './kernel-harness.js';

/** The first `sizes` draws of random_get in a fresh VM with `seed`, as hex. */
function draws(seed: number, sizes: number[]): string[] {
  const out: string[] = [];
  run({ seed }, (vm) => {
    for (const n of sizes) {
      const buf = vm.alloc(n);
      vm.ok('random_get', buf, n);
      out.push(Buffer.from(vm.bytes(buf, n)).toString('hex'));
    }
  });
  return out;
}

describe('kernel: clocks', () => {
  it('ticks 1 µs a read, one count across all clocks; realtime is the epoch plus monotonic', () => {
    run({}, (vm) => {
      const t = vm.now(ClockId.MONOTONIC); // building the filesystem has read the clock already
      assert.equal(vm.now(ClockId.MONOTONIC), t + TICK_NS);
      assert.equal(vm.now(ClockId.REALTIME), EPOCH + t + 2n * TICK_NS);
      assert.equal(vm.now(ClockId.PROCESS_CPUTIME), t + 3n * TICK_NS);
      assert.equal(vm.now(ClockId.THREAD_CPUTIME), t + 4n * TICK_NS);
      assert.ok(t < 100n * TICK_NS, 'virtual time, not the host clock');
    });
  });

  it('reads the same times in every run', () => {
    const times = () => {
      const t: bigint[] = [];
      run({}, (vm) => t.push(vm.now(ClockId.REALTIME), vm.now(ClockId.MONOTONIC)));
      return t;
    };
    assert.deepEqual(times(), times());
  });

  it('gives a resolution of 1 µs for every clock, without moving time', () => {
    run({}, (vm) => {
      const t = vm.now(ClockId.MONOTONIC);
      const out = vm.alloc(8);
      for (const id of [ClockId.REALTIME, ClockId.MONOTONIC, ClockId.PROCESS_CPUTIME, ClockId.THREAD_CPUTIME]) {
        vm.ok('clock_res_get', id, out);
        assert.equal(vm.u64(out), TICK_NS);
      }
      assert.equal(vm.now(ClockId.MONOTONIC), t + TICK_NS);
    });
  });

  it('refuses clock ids past the four with EINVAL, leaving the output alone', () => {
    run({}, (vm) => {
      const out = vm.alloc(8);
      for (const id of [4, 100, -1]) {
        assert.equal(vm.call('clock_time_get', id, 0n, out), Errno.INVAL);
        assert.equal(vm.call('clock_res_get', id, out), Errno.INVAL);
      }
      assert.equal(vm.u64(out), 0xaaaaaaaaaaaaaaaan);
    });
  });
});

describe('kernel: random_get', () => {
  it('gives the same bytes for the same seed, however the draws are cut', () => {
    assert.deepEqual(draws(7, [16, 48]), draws(7, [16, 48]));
    assert.equal(draws(7, [16, 48]).join(''), draws(7, [64])[0]);
  });

  it('gives other bytes for another seed, and fresh bytes on every draw', () => {
    const [a, b] = draws(7, [32, 32]);
    assert.notEqual(a, b);
    assert.notEqual(draws(8, [32])[0], a);
  });

  it('fills exactly the bytes asked for', () => {
    run({}, (vm) => {
      const buf = vm.alloc(16);
      vm.ok('random_get', buf + 4, 8);
      assert.deepEqual(vm.bytes(buf, 4), new Uint8Array(4).fill(0xaa));
      assert.deepEqual(vm.bytes(buf + 12, 4), new Uint8Array(4).fill(0xaa));
      assert.notDeepEqual(vm.bytes(buf + 4, 8), new Uint8Array(8).fill(0xaa));
    });
  });
});
