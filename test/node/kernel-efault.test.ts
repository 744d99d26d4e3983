// EFAULT: every pointer the guest hands over is checked against its memory before anything
// happens, so a bad one fails the call with no effect — no partial write, no byte consumed, no
// file made, no time passed. Pointers are tried past the end, straddling it, and as the negative
// i32s a wasm guest really passes for addresses above 2 GiB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockId, Errno, EventType, OFlags, Whence } from '../../src/kernel/abi.js';
import { TICK_NS } from '../../src/kernel/determinism.js';
import { file, PAGE, run, SANDBOX, type Vm } from './kernel-harness.js';

/** Out-of-bounds places for an `n`-byte object: past the end, straddling it, far above it. */
const bad = (n: number) => [PAGE, PAGE - n + 1, -16, -1];

const untouched = (vm: Vm, ptr: number, len: number) => assert.deepEqual(vm.bytes(ptr, len), new Uint8Array(len).fill(0xaa));

describe('kernel: EFAULT', () => {
  it('args and environ: a bad count, size, pointer array or buffer writes nothing', () => {
    run({ args: ['prog', 'x'], env: { A: 'b' } }, (vm) => {
      const ok = vm.alloc(64);
      for (const [sizes, get] of [['args_sizes_get', 'args_get'], ['environ_sizes_get', 'environ_get']]) {
        for (const p of bad(4)) {
          assert.equal(vm.call(sizes, ok, p), Errno.FAULT);
          assert.equal(vm.call(sizes, p, ok + 8), Errno.FAULT);
          assert.equal(vm.call(get, p, ok + 16), Errno.FAULT);
          assert.equal(vm.call(get, ok, p), Errno.FAULT);
        }
      }
      untouched(vm, ok, 64);
    });
  });

  it('clocks: a bad output pointer, and no tick spent on the failed read', () => {
    run({}, (vm) => {
      const before = vm.now();
      for (const p of bad(8)) {
        assert.equal(vm.call('clock_time_get', ClockId.MONOTONIC, 0n, p), Errno.FAULT);
        assert.equal(vm.call('clock_res_get', ClockId.MONOTONIC, p), Errno.FAULT);
      }
      assert.equal(vm.now(), before + TICK_NS);
    });
  });

  it('random_get: a bad buffer, even of zero bytes far away, takes nothing from the stream', () => {
    const first = (body: (vm: Vm) => void) => {
      let bytes: Uint8Array = new Uint8Array();
      run({ seed: 3 }, (vm) => {
        body(vm);
        const buf = vm.alloc(16);
        vm.ok('random_get', buf, 16);
        bytes = vm.bytes(buf, 16);
      });
      return bytes;
    };
    const clean = first(() => {});
    const afterFaults = first((vm) => {
      for (const p of bad(16)) assert.equal(vm.call('random_get', p, 16), Errno.FAULT);
      assert.equal(vm.call('random_get', PAGE + 64, 0), Errno.FAULT);
    });
    assert.deepEqual(afterFaults, clean);
  });

  it('fd_write: a bad iovec array, buffer (even empty) or count pointer writes nothing', () => {
    const vm = run({}, (vm) => {
      const good = vm.data('good');
      const out = vm.alloc(4);
      for (const p of bad(8)) {
        assert.equal(vm.call('fd_write', 1, p, 1, out), Errno.FAULT); // the iovec array
        assert.equal(vm.call('fd_write', 1, ...vm.iovecs(good, [p, 8]), out), Errno.FAULT); // the second buffer
      }
      for (const p of bad(4)) assert.equal(vm.call('fd_write', 1, ...vm.iovecs(good), p), Errno.FAULT); // the count
      assert.equal(vm.call('fd_write', 1, ...vm.iovecs(good, [PAGE + 64, 0]), out), Errno.FAULT);
      untouched(vm, out, 4);
    });
    assert.deepEqual(vm.stdout, []);
    assert.equal(vm.kernel.channelReports()[1].writes, 0);
  });

  it('fd_read: a bad buffer or count pointer consumes no input and fills no buffer', () => {
    run({ stdin: 'input' }, (vm) => {
      const buf = vm.alloc(8);
      const out = vm.alloc(4);
      assert.equal(vm.call('fd_read', 0, ...vm.iovecs([buf, 2], [PAGE - 2, 4]), out), Errno.FAULT);
      assert.equal(vm.call('fd_read', 0, ...vm.iovecs([buf, 8]), -4), Errno.FAULT);
      assert.equal(vm.call('fd_read', 0, ...vm.iovecs([buf, 8], [PAGE + 64, 0]), out), Errno.FAULT);
      untouched(vm, buf, 8);
      untouched(vm, out, 4);
      assert.equal(vm.read(0), 'input');
    });
  });

  it('files: pread, pwrite, seek and tell leave the file and its offset alone', () => {
    run({ fs: [file('/sandbox/f', 'abcdef')] }, (vm) => {
      const fd = vm.open('f');
      vm.seek(fd, 2n, Whence.SET);
      const buf = vm.alloc(8);
      const out = vm.alloc(8);
      for (const p of bad(8)) {
        assert.equal(vm.call('fd_pread', fd, ...vm.iovecs([buf, 2], [p, 8]), 0n, out), Errno.FAULT);
        assert.equal(vm.call('fd_pwrite', fd, ...vm.iovecs(vm.data('XY'), [p, 8]), 0n, out), Errno.FAULT);
        assert.equal(vm.call('fd_write', fd, ...vm.iovecs(vm.data('XY'), [p, 8]), out), Errno.FAULT);
        assert.equal(vm.call('fd_seek', fd, 1n, Whence.SET, p), Errno.FAULT);
        assert.equal(vm.call('fd_tell', fd, p), Errno.FAULT);
      }
      for (const p of bad(4)) {
        assert.equal(vm.call('fd_pread', fd, ...vm.iovecs([buf, 2]), 0n, p), Errno.FAULT);
        assert.equal(vm.call('fd_pwrite', fd, ...vm.iovecs(vm.data('XY')), 0n, p), Errno.FAULT);
      }
      untouched(vm, buf, 8);
      untouched(vm, out, 8);
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 2n);
      vm.seek(fd, 0n, Whence.SET);
      assert.equal(vm.read(fd), 'abcdef');
    });
  });

  it('descriptor status calls: a bad output pointer', () => {
    run({}, (vm) => {
      // each struct tried at its own size: fdstat 24, filestat 64, prestat 8, "/sandbox" 8
      for (const p of bad(24)) assert.equal(vm.call('fd_fdstat_get', 1, p), Errno.FAULT);
      for (const p of bad(64)) assert.equal(vm.call('fd_filestat_get', SANDBOX, p), Errno.FAULT);
      for (const p of bad(8)) {
        assert.equal(vm.call('fd_prestat_get', SANDBOX, p), Errno.FAULT);
        assert.equal(vm.call('fd_prestat_dir_name', SANDBOX, p, 8), Errno.FAULT);
      }
      for (const p of bad(64)) assert.equal(vm.call('fd_readdir', SANDBOX, p, 64, 0n, vm.alloc(4)), Errno.FAULT);
      for (const p of bad(4)) assert.equal(vm.call('fd_readdir', SANDBOX, vm.alloc(64), 64, 0n, p), Errno.FAULT);
    });
  });

  it('paths: a bad path pointer, or a bad output pointer, makes nothing', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const name = vm.data('new');
      for (const p of bad(3)) {
        assert.equal(vm.call('path_open', SANDBOX, 0, p, 3, OFlags.CREAT, 0n, 0n, 0, vm.alloc(4)), Errno.FAULT);
        assert.equal(vm.call('path_create_directory', SANDBOX, p, 3), Errno.FAULT);
        assert.equal(vm.call('path_filestat_get', SANDBOX, 0, p, 3, vm.alloc(64)), Errno.FAULT);
        assert.equal(vm.call('path_unlink_file', SANDBOX, p, 3), Errno.FAULT);
        assert.equal(vm.call('path_symlink', p, 3, SANDBOX, ...name), Errno.FAULT);
        assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('f'), SANDBOX, p, 3), Errno.FAULT);
        assert.equal(vm.call('path_link', SANDBOX, 0, ...vm.data('f'), SANDBOX, p, 3), Errno.FAULT);
        // a good path, but nowhere to put the result: the file must not be created
        assert.equal(vm.call('path_open', SANDBOX, 0, ...name, OFlags.CREAT, 0n, 0n, 0, p), Errno.FAULT);
        assert.equal(vm.call('path_filestat_get', SANDBOX, 0, ...vm.data('f'), p), Errno.FAULT);
      }
      // an empty path far away is a bad pointer before it is an empty path
      assert.equal(vm.call('path_open', SANDBOX, 0, PAGE + 64, 0, OFlags.CREAT, 0n, 0n, 0, vm.alloc(4)), Errno.FAULT);
      assert.equal(vm.statErrno('new'), Errno.NOENT);
      assert.equal(vm.pathStat('f').nlink, 1n);
    });
  });

  it('path_readlink: a bad buffer or count pointer', () => {
    run({ fs: [{ path: '/sandbox/l', type: 'symlink', target: 'f' }] }, (vm) => {
      for (const p of bad(8)) assert.equal(vm.call('path_readlink', SANDBOX, ...vm.data('l'), p, 8, vm.alloc(4)), Errno.FAULT);
      for (const p of bad(4)) assert.equal(vm.call('path_readlink', SANDBOX, ...vm.data('l'), vm.alloc(8), 8, p), Errno.FAULT);
    });
  });

  it('poll_oneoff: a bad subscription, event or count pointer lets no time pass', () => {
    run({}, (vm) => {
      const sub = vm.alloc(48);
      vm.u8.fill(0, sub, sub + 48);
      vm.u8[sub + 8] = EventType.CLOCK;
      new DataView(vm.memory.buffer).setBigUint64(sub + 24, 1_000_000_000n, true); // a second
      const before = vm.now();
      for (const p of bad(48)) assert.equal(vm.call('poll_oneoff', p, vm.alloc(32), 1, vm.alloc(4)), Errno.FAULT);
      for (const p of bad(32)) assert.equal(vm.call('poll_oneoff', sub, p, 1, vm.alloc(4)), Errno.FAULT);
      for (const p of bad(4)) assert.equal(vm.call('poll_oneoff', sub, vm.alloc(32), 1, p), Errno.FAULT);
      assert.equal(vm.now(), before + TICK_NS);
    });
  });
});
