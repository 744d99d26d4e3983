// How a guest ends or steps aside (proc_exit, proc_raise, sched_yield), and the socket calls,
// which a VM without sockets answers as any runtime does for a descriptor that is not one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno } from '../../src/kernel/abi.js';
import { GuestAbort } from '../../src/kernel/errors.js';
import { run, SANDBOX, Vm } from './kernel-harness.js';

const SIGABRT = 6;
const SIGCHLD = 16;
const SIGWINCH = 27;

describe('kernel: proc_exit', () => {
  it('ends the run at once; start() returns the code', () => {
    const vm = new Vm();
    let after = false;
    const code = vm.run(() => {
      vm.write(1, 'before');
      vm.call('proc_exit', 42);
      after = true;
    });
    assert.equal(code, 42);
    assert.equal(after, false, 'nothing after proc_exit runs');
    assert.equal(Buffer.from(vm.stdout).toString(), 'before');
  });

  it('returns 0 when _start returns, and a code of 0 given explicitly', () => {
    assert.equal(new Vm().run(() => {}), 0);
    const vm = new Vm();
    assert.equal(vm.run(() => vm.call('proc_exit', 0)), 0);
  });

  it('hands the code over as an unsigned 32-bit number', () => {
    const vm = new Vm();
    assert.equal(vm.run(() => vm.call('proc_exit', -1)), 0xffffffff);
  });
});

describe('kernel: proc_raise', () => {
  it('a signal whose default is to do nothing returns 0 and the run goes on', () => {
    run({}, (vm) => {
      for (const signal of [0, SIGCHLD, SIGWINCH]) assert.equal(vm.call('proc_raise', signal), Errno.SUCCESS);
    });
  });

  it('SIGABRT ends the run with a GuestAbort naming it', () => {
    const vm = new Vm();
    let after = false;
    assert.throws(
      () =>
        vm.run(() => {
          vm.call('proc_raise', SIGABRT);
          after = true;
        }),
      (e) => e instanceof GuestAbort && /SIGABRT/.test(e.message),
    );
    assert.equal(after, false);
  });

  it('a signal number past the last is EINVAL', () => {
    run({}, (vm) => {
      assert.equal(vm.call('proc_raise', 31), Errno.INVAL);
      assert.equal(vm.call('proc_raise', 99), Errno.INVAL);
      assert.equal(vm.call('proc_raise', -1), Errno.INVAL);
    });
  });
});

describe('kernel: sched_yield', () => {
  it('returns 0', () => {
    run({}, (vm) => assert.equal(vm.call('sched_yield'), Errno.SUCCESS));
  });
});

describe('kernel: sock_*', () => {
  const calls: [string, (fd: number) => (number | bigint)[]][] = [
    ['sock_accept', (fd) => [fd, 0, 1024]],
    ['sock_recv', (fd) => [fd, 1024, 1, 0, 1032, 1036]],
    ['sock_send', (fd) => [fd, 1024, 1, 0, 1032]],
    ['sock_shutdown', (fd) => [fd, 3]],
  ];

  it('ENOTSOCK on an open descriptor of any kind', () => {
    run({}, (vm) => {
      for (const [name, args] of calls) {
        for (const fd of [0, 1, SANDBOX]) assert.equal(vm.call(name, ...args(fd)), Errno.NOTSOCK, `${name}(${fd})`);
      }
    });
  });

  it('EBADF on a descriptor that is not open', () => {
    run({}, (vm) => {
      vm.ok('fd_close', 0);
      for (const [name, args] of calls) {
        for (const fd of [0, 50]) assert.equal(vm.call(name, ...args(fd)), Errno.BADF, `${name}(${fd})`);
      }
    });
  });
});
