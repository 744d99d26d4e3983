// The descriptor table and what a descriptor may do: EBADF for what is not open, EMFILE past
// the limit, closing and renumbering, fdstat (type, flags, rights), rights that can only be
// dropped, and the preopened directories.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, FdFlags, Filetype, OFlags, Right, RIGHTS_ALL, RIGHTS_DEVICE, RIGHTS_DIR, RIGHTS_FILE, Whence } from '../../src/kernel/abi.js';
import { KernelConfigError } from '../../src/kernel/kernel.js';
import { file, run, SANDBOX, Vm } from './kernel-harness.js';

interface Fdstat {
  filetype: number;
  flags: number;
  rights: bigint;
  inheriting: bigint;
}

function fdstat(vm: Vm, fd: number): Fdstat {
  const out = vm.alloc(24);
  vm.ok('fd_fdstat_get', fd, out);
  return { filetype: vm.u8[out], flags: vm.u8[out + 2] | (vm.u8[out + 3] << 8), rights: vm.u64(out + 8), inheriting: vm.u64(out + 16) };
}

describe('kernel: descriptors', () => {
  it('EBADF for a descriptor never opened, closed, or negative', () => {
    run({}, (vm) => {
      const out = vm.alloc(24);
      for (const fd of [4, 1000, -1]) {
        assert.equal(vm.call('fd_fdstat_get', fd, out), Errno.BADF);
        assert.equal(vm.call('fd_close', fd), Errno.BADF);
      }
      vm.ok('fd_close', 1);
      assert.equal(vm.call('fd_write', 1, ...vm.iovecs(vm.data('x')), out), Errno.BADF);
      assert.equal(vm.call('fd_close', 1), Errno.BADF);
    });
  });

  it('a closed number is given out again, lowest first', () => {
    run({}, (vm) => {
      const a = vm.open('a', { oflags: OFlags.CREAT });
      const b = vm.open('b', { oflags: OFlags.CREAT });
      assert.deepEqual([a, b], [4, 5]);
      vm.ok('fd_close', a);
      assert.equal(vm.open('b'), 4);
    });
  });

  it('EMFILE past limits.fds, with nothing made or truncated, and room again after a close', () => {
    run({ fds: 6, fs: [file('/sandbox/keep', 'kept')] }, (vm) => {
      // stdio and /sandbox take four: two left
      vm.open('a', { oflags: OFlags.CREAT });
      const b = vm.open('b', { oflags: OFlags.CREAT });
      assert.equal(vm.openErrno('c', { oflags: OFlags.CREAT }), Errno.MFILE);
      assert.equal(vm.openErrno('keep', { oflags: OFlags.TRUNC }), Errno.MFILE);
      assert.equal(vm.statErrno('c'), Errno.NOENT);
      assert.equal(vm.pathStat('keep').size, 4n);
      vm.ok('fd_close', b);
      assert.equal(vm.open('keep'), b);
    });
  });

  it('refuses a limit with no room for stdio and the preopens', () => {
    assert.doesNotThrow(() => new Vm({ fds: 4 }));
    assert.throws(() => new Vm({ fds: 3 }), KernelConfigError);
  });

  it('fd_renumber moves a descriptor over an open one, closing it', () => {
    run({ fs: [file('/sandbox/f', 'from f'), file('/sandbox/g', 'from g')] }, (vm) => {
      const f = vm.open('f');
      const g = vm.open('g');
      vm.ok('fd_renumber', f, g);
      assert.equal(vm.read(g), 'from f');
      assert.equal(vm.call('fd_close', f), Errno.BADF);
      // the moved one must be open; a descriptor onto itself is left as it is
      assert.equal(vm.call('fd_renumber', 20, g), Errno.BADF);
      vm.ok('fd_renumber', g, g);
      assert.equal(vm.seek(g, 0n, Whence.CUR), 6n);
    });
  });

  it('fd_renumber moves a descriptor to a free number, and the number it leaves is given out first', () => {
    run({ fs: [file('/sandbox/f', 'from f')] }, (vm) => {
      const f = vm.open('f');
      vm.ok('fd_renumber', f, 20);
      assert.equal(vm.read(20), 'from f');
      assert.equal(vm.call('fd_close', f), Errno.BADF);
      assert.equal(vm.open('f'), f, 'lowest free first');
      assert.equal(vm.open('f'), f + 1, 'not a number between the old end and 20');
      vm.ok('fd_renumber', 1, 30); // stdout moved aside
      assert.equal(vm.write(30, 'out'), 3);
      assert.equal(vm.call('fd_fdstat_get', 1, vm.alloc(24)), Errno.BADF);
      assert.equal(vm.open('f'), 1);
    });
  });

  it('fd_renumber to a free number opens nothing new: the limit still holds, and a `to` past it is EBADF', () => {
    run({ fds: 7 }, (vm) => {
      // stdio and /sandbox take four: three left, numbers 4, 5, 6
      const a = vm.open('a', { oflags: OFlags.CREAT });
      for (const to of [7, 1000, 2 ** 31, -1]) assert.equal(vm.call('fd_renumber', a, to), Errno.BADF, `to ${to}`);
      vm.ok('fd_renumber', a, 6);
      assert.deepEqual([vm.open('b', { oflags: OFlags.CREAT }), vm.open('c', { oflags: OFlags.CREAT })], [4, 5]);
      assert.equal(vm.openErrno('d', { oflags: OFlags.CREAT }), Errno.MFILE);
      vm.ok('fd_close', 6);
      assert.equal(vm.open('a'), 6);
    });
  });

  it('a renumbered-over slot is freed for the limit', () => {
    run({ fds: 6 }, (vm) => {
      const a = vm.open('a', { oflags: OFlags.CREAT });
      const b = vm.open('b', { oflags: OFlags.CREAT });
      vm.ok('fd_renumber', a, b);
      assert.equal(vm.open('c', { oflags: OFlags.CREAT }), a);
    });
  });

  it('fd_fdstat_get: stdio are character devices, readable or writable as they are', () => {
    run({}, (vm) => {
      const [stdin, stdout, stderr] = [0, 1, 2].map((fd) => fdstat(vm, fd));
      for (const s of [stdin, stdout, stderr]) assert.equal(s.filetype, Filetype.CHARACTER_DEVICE);
      assert.equal(stdin.rights, BigInt(RIGHTS_DEVICE & ~Right.FD_WRITE));
      assert.equal(stdout.rights, BigInt(RIGHTS_DEVICE & ~Right.FD_READ));
      assert.equal(stderr.rights, stdout.rights);
      assert.equal(stdout.rights & BigInt(Right.FD_SEEK | Right.FD_TELL), 0n, 'no seeking on a stream');
      assert.equal(stdout.flags, 0);
    });
  });

  it('fd_fdstat_get: a preopen is a directory that hands on every right', () => {
    run({}, (vm) => {
      assert.deepEqual(fdstat(vm, SANDBOX), { filetype: Filetype.DIRECTORY, flags: 0, rights: BigInt(RIGHTS_DIR), inheriting: BigInt(RIGHTS_ALL) });
    });
  });

  it('fd_fdstat_get: an opened file has the rights asked for that a file can have, and its flags', () => {
    run({ fs: [file('/sandbox/f', '')] }, (vm) => {
      assert.deepEqual(fdstat(vm, vm.open('f', { fdflags: FdFlags.APPEND })), {
        filetype: Filetype.REGULAR_FILE,
        flags: FdFlags.APPEND,
        rights: BigInt(RIGHTS_FILE),
        inheriting: BigInt(RIGHTS_ALL),
      });
      const readOnly = vm.open('f', { rights: BigInt(Right.FD_READ | Right.PATH_OPEN) });
      assert.equal(fdstat(vm, readOnly).rights, BigInt(Right.FD_READ));
    });
  });

  it('a call lacking its right gets ENOTCAPABLE and does nothing', () => {
    run({ fs: [file('/sandbox/f', 'data')] }, (vm) => {
      const fd = vm.open('f', { rights: BigInt(Right.FD_READ) });
      const out = vm.alloc(8);
      assert.equal(vm.call('fd_write', fd, ...vm.iovecs(vm.data('X')), out), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_seek', fd, 1n, Whence.SET, out), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_tell', fd, out), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_filestat_set_size', fd, 0n), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_filestat_get', fd, vm.alloc(64)), Errno.NOTCAPABLE);
      assert.equal(vm.read(fd), 'data');
      // reading stdout, writing stdin
      assert.equal(vm.call('fd_read', 1, ...vm.iovecs([vm.alloc(4), 4]), out), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_write', 0, ...vm.iovecs(vm.data('X')), out), Errno.NOTCAPABLE);
    });
  });

  it('a directory handing on fewer rights gives fewer to what is opened from it', () => {
    run({ fs: [file('/sandbox/d/f', 'data')] }, (vm) => {
      const out = vm.alloc(4);
      const readOnly = BigInt(Right.FD_READ | Right.PATH_OPEN);
      vm.ok('path_open', SANDBOX, 0, ...vm.data('d'), OFlags.DIRECTORY, BigInt(RIGHTS_DIR), readOnly, 0, out);
      const d = vm.u32(out);
      const f = vm.open('f', { dirfd: d });
      assert.equal(fdstat(vm, f).rights, BigInt(Right.FD_READ));
      assert.equal(vm.call('fd_write', f, ...vm.iovecs(vm.data('X')), out), Errno.NOTCAPABLE);
    });
  });

  it('fd_fdstat_set_flags: APPEND sends every write to the end, wherever the offset was', () => {
    run({ fs: [file('/sandbox/f', 'abc')] }, (vm) => {
      const fd = vm.open('f');
      vm.ok('fd_fdstat_set_flags', fd, FdFlags.APPEND);
      assert.equal(fdstat(vm, fd).flags, FdFlags.APPEND);
      vm.seek(fd, 0n, Whence.SET);
      vm.write(fd, 'de');
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 5n);
      vm.ok('fd_fdstat_set_flags', fd, 0);
      vm.seek(fd, 0n, Whence.SET);
      vm.write(fd, 'X');
      vm.seek(fd, 0n, Whence.SET);
      assert.equal(vm.read(fd), 'Xbcde');
      assert.equal(vm.call('fd_fdstat_set_flags', fd, 32), Errno.INVAL);
    });
  });

  it('fd_fdstat_set_rights can drop rights, never gain them back', () => {
    run({ fs: [file('/sandbox/f', 'data')] }, (vm) => {
      const fd = vm.open('f');
      const fewer = BigInt(RIGHTS_FILE & ~Right.FD_WRITE);
      vm.ok('fd_fdstat_set_rights', fd, fewer, 0n);
      assert.deepEqual([fdstat(vm, fd).rights, fdstat(vm, fd).inheriting], [fewer, 0n]);
      assert.equal(vm.call('fd_write', fd, ...vm.iovecs(vm.data('X')), vm.alloc(4)), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_fdstat_set_rights', fd, BigInt(RIGHTS_FILE), 0n), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_fdstat_set_rights', fd, fewer, 1n), Errno.NOTCAPABLE);
      assert.equal(fdstat(vm, fd).rights, fewer);
      assert.equal(vm.read(fd), 'data');
    });
  });

  it('fd_prestat_get and fd_prestat_dir_name describe the preopens, and only them', () => {
    run({ preopens: ['/sandbox', '/data/in'], fs: [file('/sandbox/f', '')] }, (vm) => {
      const out = vm.alloc(8);
      const names: string[] = [];
      for (const fd of [3, 4]) {
        vm.ok('fd_prestat_get', fd, out);
        assert.equal(vm.u32(out), 0, 'tag: a directory');
        const len = vm.u32(out + 4);
        const buf = vm.alloc(len + 1);
        vm.ok('fd_prestat_dir_name', fd, buf, len);
        assert.equal(vm.u8[buf + len], 0xaa, 'no NUL written');
        names.push(vm.text(buf, len));
      }
      assert.deepEqual(names, ['/sandbox', '/data/in']);
      // a file opened later (fd 5), past the last open descriptor, and stdio: not preopens
      for (const fd of [vm.open('f'), 6, 1]) {
        assert.equal(vm.call('fd_prestat_get', fd, out), Errno.BADF);
        assert.equal(vm.call('fd_prestat_dir_name', fd, out, 8), Errno.BADF);
      }
      const buf = vm.alloc(8);
      assert.equal(vm.call('fd_prestat_dir_name', 3, buf, 7), Errno.NAMETOOLONG);
      assert.deepEqual(vm.bytes(buf, 8), new Uint8Array(8).fill(0xaa));
    });
  });
});
