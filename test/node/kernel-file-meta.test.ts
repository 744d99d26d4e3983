// A file's metadata: sizes set by fd_filestat_set_size and fd_allocate (grown bytes read as
// zeros), and times — stamped from the VM's virtual clock, set by *_filestat_set_times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockId, Errno, FstFlags, LookupFlags, OFlags, Right, Whence } from '../../src/kernel/abi.js';
import { EPOCH, file, run, SANDBOX, symlink, type Vm } from './kernel-harness.js';

/** Runs `act` between two clock reads; returns them, so that times stamped by `act` lie strictly between. */
function between(vm: Vm, act: () => void): [bigint, bigint] {
  const before = vm.now(ClockId.REALTIME);
  act();
  return [before, vm.now(ClockId.REALTIME)];
}

const within = (t: bigint, [before, after]: [bigint, bigint]) => assert.ok(before < t && t < after, `${t} not in (${before}, ${after})`);
const readAll = (vm: Vm, fd: number) => {
  vm.seek(fd, 0n, Whence.SET);
  return vm.read(fd);
};

describe('kernel: fd_filestat_set_size', () => {
  it('grows with zeros, shrinks, and never brings old bytes back', () => {
    run({ fs: [file('/sandbox/f', 'abcdef')] }, (vm) => {
      const fd = vm.open('f');
      vm.ok('fd_filestat_set_size', fd, 8n);
      assert.equal(readAll(vm, fd), 'abcdef\0\0');
      vm.ok('fd_filestat_set_size', fd, 2n);
      assert.equal(vm.fdStat(fd).size, 2n);
      vm.ok('fd_filestat_set_size', fd, 5n);
      assert.equal(readAll(vm, fd), 'ab\0\0\0');
    });
  });

  it('leaves the offset where it was', () => {
    run({ fs: [file('/sandbox/f', 'abcdef')] }, (vm) => {
      const fd = vm.open('f');
      vm.seek(fd, 4n, Whence.SET);
      vm.ok('fd_filestat_set_size', fd, 1n);
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 4n);
      assert.equal(vm.read(fd), '');
    });
  });

  it('EFBIG past the largest file; ENOTCAPABLE for a directory or stdout, which cannot hold the right', () => {
    run({ fs: [file('/sandbox/f', 'abc')] }, (vm) => {
      assert.equal(vm.call('fd_filestat_set_size', vm.open('f'), 2n ** 31n + 1n), Errno.FBIG);
      assert.equal(vm.call('fd_filestat_set_size', vm.open('f'), -1n), Errno.FBIG);
      assert.equal(vm.pathStat('f').size, 3n);
      const d = vm.open('.', { rights: BigInt(Right.FD_FILESTAT_SET_SIZE) });
      assert.equal(vm.call('fd_filestat_set_size', d, 0n), Errno.NOTCAPABLE);
      assert.equal(vm.call('fd_filestat_set_size', 1, 0n), Errno.NOTCAPABLE);
    });
  });
});

describe('kernel: fd_allocate', () => {
  it('grows the file to offset + len with zeros, and never shrinks it', () => {
    run({ fs: [file('/sandbox/f', 'abc')] }, (vm) => {
      const fd = vm.open('f');
      vm.ok('fd_allocate', fd, 4n, 2n);
      assert.equal(readAll(vm, fd), 'abc\0\0\0');
      vm.ok('fd_allocate', fd, 0n, 1n);
      assert.equal(vm.fdStat(fd).size, 6n);
    });
  });

  it('EINVAL for len 0, EFBIG past the largest file, ENOTCAPABLE on stdout', () => {
    run({ fs: [file('/sandbox/f', 'abc')] }, (vm) => {
      const fd = vm.open('f');
      assert.equal(vm.call('fd_allocate', fd, 0n, 0n), Errno.INVAL);
      assert.equal(vm.call('fd_allocate', fd, 2n ** 31n, 1n), Errno.FBIG);
      assert.equal(vm.call('fd_allocate', fd, -1n, -1n), Errno.FBIG);
      assert.equal(vm.fdStat(fd).size, 3n);
      assert.equal(vm.call('fd_allocate', 1, 0n, 1n), Errno.NOTCAPABLE);
    });
  });
});

describe('kernel: timestamps', () => {
  it('stamps the image at boot from the virtual clock, not the host clock', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const f = vm.pathStat('f');
      assert.ok(f.atim >= EPOCH && f.atim < vm.now(ClockId.REALTIME));
      assert.equal(f.mtim, f.atim);
      assert.equal(f.ctim, f.atim);
    });
  });

  it('stamps a new file with the time of its making, and its directory too', () => {
    run({}, (vm) => {
      const span = between(vm, () => vm.open('new', { oflags: OFlags.CREAT }));
      const f = vm.pathStat('new');
      for (const t of [f.atim, f.mtim, f.ctim, vm.fdStat(SANDBOX).mtim]) within(t, span);
    });
  });

  it('a write moves mtim and ctim, not atim; a read moves nothing', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const fd = vm.open('f');
      const made = vm.fdStat(fd);
      const span = between(vm, () => vm.write(fd, 'y'));
      const written = vm.fdStat(fd);
      assert.equal(written.atim, made.atim);
      within(written.mtim, span);
      within(written.ctim, span);
      readAll(vm, fd);
      assert.deepEqual(vm.fdStat(fd), written);
    });
  });

  it('fd_filestat_set_times sets times given, or now, and moves ctim', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const fd = vm.open('f');
      const span = between(vm, () => vm.ok('fd_filestat_set_times', fd, 111n, 222n, FstFlags.ATIM | FstFlags.MTIM));
      let s = vm.fdStat(fd);
      assert.deepEqual([s.atim, s.mtim], [111n, 222n]);
      within(s.ctim, span);
      const now = between(vm, () => vm.ok('fd_filestat_set_times', fd, 0n, 0n, FstFlags.MTIM_NOW));
      s = vm.fdStat(fd);
      assert.equal(s.atim, 111n, 'left alone');
      within(s.mtim, now);
    });
  });

  it('EINVAL for a time given and "now" together, or unknown flags; nothing changes', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const fd = vm.open('f');
      const before = vm.fdStat(fd);
      for (const flags of [FstFlags.ATIM | FstFlags.ATIM_NOW, FstFlags.MTIM | FstFlags.MTIM_NOW, 16]) {
        assert.equal(vm.call('fd_filestat_set_times', fd, 1n, 1n, flags), Errno.INVAL);
        assert.equal(vm.call('path_filestat_set_times', SANDBOX, 0, ...vm.data('f'), 1n, 1n, flags), Errno.INVAL);
      }
      assert.deepEqual(vm.fdStat(fd), before);
    });
  });

  it('path_filestat_set_times sets a symlink\'s own times, or with SYMLINK_FOLLOW its target\'s', () => {
    run({ fs: [file('/sandbox/f', 'x'), symlink('/sandbox/l', 'f')] }, (vm) => {
      vm.ok('path_filestat_set_times', SANDBOX, 0, ...vm.data('l'), 5n, 6n, FstFlags.ATIM | FstFlags.MTIM);
      assert.deepEqual([vm.pathStat('l', 0).atim, vm.pathStat('l', 0).mtim], [5n, 6n]);
      assert.notEqual(vm.pathStat('f').atim, 5n);
      vm.ok('path_filestat_set_times', SANDBOX, LookupFlags.SYMLINK_FOLLOW, ...vm.data('l'), 7n, 8n, FstFlags.ATIM | FstFlags.MTIM);
      assert.deepEqual([vm.pathStat('f').atim, vm.pathStat('f').mtim], [7n, 8n]);
    });
  });
});

describe('kernel: fd_advise, fd_sync, fd_datasync', () => {
  it('accept what they may and change nothing; EINVAL for unknown advice', () => {
    run({ fs: [file('/sandbox/f', 'x')] }, (vm) => {
      const fd = vm.open('f');
      const before = vm.fdStat(fd);
      for (let advice = 0; advice <= 5; advice++) vm.ok('fd_advise', fd, 0n, 1n, advice);
      assert.equal(vm.call('fd_advise', fd, 0n, 1n, 6), Errno.INVAL);
      vm.ok('fd_sync', fd);
      vm.ok('fd_datasync', fd);
      vm.ok('fd_sync', SANDBOX);
      assert.deepEqual(vm.fdStat(fd), before);
    });
  });
});
