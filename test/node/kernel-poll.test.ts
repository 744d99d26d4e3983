// poll_oneoff: clocks sleep on the virtual clock (time jumps by the timeout, at once), fd
// subscriptions are ready at once with the bytes a read would get, and a poll of nothing is EINVAL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockId, Errno, EventType, SubclockFlags } from '../../src/kernel/abi.js';
import { TICK_NS } from '../../src/kernel/determinism.js';
import { file, run, type Vm } from './kernel-harness.js';

type Sub =
  | { userdata: bigint; clock: number; timeout: bigint; absolute?: boolean }
  | { userdata: bigint; type: EventType.FD_READ | EventType.FD_WRITE; fd: number };

interface Event {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
}

/** poll_oneoff over `subs`; returns the events written. */
function poll(vm: Vm, subs: Sub[]): Event[] {
  const ptr = vm.alloc(subs.length * 48);
  const view = new DataView(vm.memory.buffer);
  subs.forEach((s, i) => {
    const at = ptr + i * 48;
    vm.u8.fill(0, at, at + 48);
    view.setBigUint64(at, s.userdata, true);
    if ('clock' in s) {
      view.setUint8(at + 8, EventType.CLOCK);
      view.setUint32(at + 16, s.clock, true);
      view.setBigUint64(at + 24, s.timeout, true);
      view.setUint16(at + 40, s.absolute ? SubclockFlags.ABSTIME : 0, true);
    } else {
      view.setUint8(at + 8, s.type);
      view.setUint32(at + 16, s.fd, true);
    }
  });
  const events = vm.alloc(subs.length * 32);
  const count = vm.alloc(4);
  vm.ok('poll_oneoff', ptr, events, subs.length, count);
  return Array.from({ length: vm.u32(count) }, (_, i) => {
    const at = events + i * 32;
    return { userdata: vm.u64(at), error: view.getUint16(at + 8, true), type: vm.u8[at + 10], nbytes: vm.u64(at + 16) };
  });
}

const MS = 1_000_000n;

describe('kernel: poll_oneoff', () => {
  it('a relative clock advances virtual time by its timeout, at once', () => {
    run({}, (vm) => {
      const t0 = vm.now();
      assert.deepEqual(poll(vm, [{ userdata: 7n, clock: ClockId.MONOTONIC, timeout: 250n * MS }]), [
        { userdata: 7n, error: 0, type: EventType.CLOCK, nbytes: 0n },
      ]);
      assert.equal(vm.now(), t0 + 250n * MS + TICK_NS);
    });
  });

  it('an absolute clock advances virtual time to its deadline', () => {
    run({}, (vm) => {
      const deadline = vm.now() + 3000n * MS;
      assert.equal(poll(vm, [{ userdata: 1n, clock: ClockId.MONOTONIC, timeout: deadline, absolute: true }]).length, 1);
      assert.equal(vm.now(), deadline + TICK_NS);
    });
  });

  it('an absolute deadline already past is due at once, with no time passing but the read', () => {
    run({}, (vm) => {
      const t0 = vm.now();
      assert.equal(poll(vm, [{ userdata: 1n, clock: ClockId.MONOTONIC, timeout: 0n, absolute: true }]).length, 1);
      assert.equal(vm.now(), t0 + 2n * TICK_NS); // one tick for the poll's own clock read
    });
  });

  it('of several clocks, sleeps until the earliest and reports the ones due then', () => {
    run({}, (vm) => {
      const t0 = vm.now();
      const events = poll(vm, [
        { userdata: 1n, clock: ClockId.MONOTONIC, timeout: 50n * MS },
        { userdata: 2n, clock: ClockId.REALTIME, timeout: 10n * MS },
        { userdata: 3n, clock: ClockId.MONOTONIC, timeout: 10n * MS },
      ]);
      assert.deepEqual(events.map((e) => e.userdata), [2n, 3n]);
      assert.equal(vm.now(), t0 + 10n * MS + TICK_NS);
    });
  });

  it('an fd_read on stdin reports the bytes a read would get, and time does not move', () => {
    run({ stdin: 'hello' }, (vm) => {
      assert.deepEqual(poll(vm, [{ userdata: 9n, type: EventType.FD_READ, fd: 0 }]), [{ userdata: 9n, error: 0, type: EventType.FD_READ, nbytes: 5n }]);
      vm.read(0, 2);
      const t0 = vm.now();
      const events = poll(vm, [
        { userdata: 1n, clock: ClockId.MONOTONIC, timeout: 1000n * MS },
        { userdata: 2n, type: EventType.FD_READ, fd: 0 },
      ]);
      assert.deepEqual(events, [{ userdata: 2n, error: 0, type: EventType.FD_READ, nbytes: 3n }]);
      assert.equal(vm.now(), t0 + TICK_NS, 'a ready descriptor means no sleep');
    });
  });

  it('an fd_read on a file reports what lies past the offset; fd_write on stdout is ready', () => {
    run({ fs: [file('/sandbox/f', 'abcdef')] }, (vm) => {
      const fd = vm.open('f');
      vm.read(fd, 4);
      assert.deepEqual(
        poll(vm, [{ userdata: 1n, type: EventType.FD_READ, fd }, { userdata: 2n, type: EventType.FD_WRITE, fd: 1 }]).map((e) => [e.userdata, e.error, e.nbytes]),
        [[1n, 0, 2n], [2n, 0, 0n]],
      );
    });
  });

  it('a closed descriptor is reported as an event with EBADF, not as a failed call', () => {
    run({}, (vm) => {
      assert.deepEqual(poll(vm, [{ userdata: 4n, type: EventType.FD_READ, fd: 42 }]), [{ userdata: 4n, error: Errno.BADF, type: EventType.FD_READ, nbytes: 0n }]);
    });
  });

  it('an unknown clock is reported as an event with EINVAL', () => {
    run({}, (vm) => {
      assert.deepEqual(poll(vm, [{ userdata: 5n, clock: 9, timeout: MS }]).map((e) => [e.userdata, e.error]), [[5n, Errno.INVAL]]);
    });
  });

  it('EINVAL for no subscriptions, or an unknown event type; no time passes', () => {
    run({}, (vm) => {
      const t0 = vm.now();
      const out = vm.alloc(4);
      assert.equal(vm.call('poll_oneoff', vm.alloc(48), vm.alloc(32), 0, out), Errno.INVAL);
      const sub = vm.alloc(48);
      vm.u8.fill(0, sub, sub + 48);
      vm.u8[sub + 8] = 3;
      assert.equal(vm.call('poll_oneoff', sub, vm.alloc(32), 1, out), Errno.INVAL);
      assert.equal(vm.now(), t0 + TICK_NS);
    });
  });
});
