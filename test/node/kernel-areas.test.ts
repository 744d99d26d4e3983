// Mounted subtrees with rules of their own: a read-only area (a tar image, a read-only volume)
// where nothing can change (EROFS), a volume's own byte budget (EDQUOT past it, drawing on the
// VM's too), and no rename or link from one area to another (EXDEV), as between filesystems.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, OFlags, Right } from '../../src/kernel/abi.js';
import { dir, file, SANDBOX, Vm } from './kernel-harness.js';

const READ_ONLY = BigInt(Right.FD_READ | Right.FD_SEEK | Right.FD_TELL | Right.FD_FILESTAT_GET);

describe('kernel: areas', () => {
  it('a read-only area: reading works; making, changing, removing or renaming anything is EROFS', () => {
    const vm = new Vm({ fs: [dir('/sandbox/ro'), file('/sandbox/ro/a.txt', 'alpha'), dir('/sandbox/ro/sub')], areas: [{ path: '/sandbox/ro', readonly: true }] });
    vm.run(() => {
      const fd = vm.open('ro/a.txt', { rights: READ_ONLY });
      assert.equal(vm.read(fd), 'alpha');
      assert.equal(vm.openErrno('ro/a.txt'), Errno.ROFS, 'opened for writing');
      assert.equal(vm.openErrno('ro/a.txt', { rights: READ_ONLY, oflags: OFlags.TRUNC }), Errno.ROFS, 'truncated');
      assert.equal(vm.openErrno('ro/new.txt', { oflags: OFlags.CREAT }), Errno.ROFS, 'made');
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('ro/d')), Errno.ROFS, 'mkdir');
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('ro/a.txt')), Errno.ROFS, 'unlink');
      assert.equal(vm.call('path_remove_directory', SANDBOX, ...vm.data('ro/sub')), Errno.ROFS, 'rmdir');
      assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('ro/a.txt'), SANDBOX, ...vm.data('ro/b.txt')), Errno.ROFS, 'rename');
      assert.equal(vm.call('path_symlink', ...vm.data('a.txt'), SANDBOX, ...vm.data('ro/link')), Errno.ROFS, 'symlink');
      assert.equal(vm.call('path_filestat_set_times', SANDBOX, 0, ...vm.data('ro/a.txt'), 0n, 0n, 1 | 4), Errno.ROFS, 'utimes');
      assert.equal(vm.call('fd_write', fd, ...vm.iovecs(vm.data('x')), vm.alloc(4)), Errno.NOTCAPABLE, 'write on a read-only descriptor');
      const again = vm.open('ro/a.txt', { rights: READ_ONLY });
      assert.equal(vm.read(again), 'alpha', 'unchanged');
    });
  });

  it('renames and links never cross from one area to another (EXDEV); within one they work', () => {
    const vm = new Vm({ fs: [dir('/sandbox/vol'), file('/sandbox/vol/a.txt', 'a'), file('/sandbox/b.txt', 'b')], areas: [{ path: '/sandbox/vol', bytes: 1 << 20 }] });
    vm.run(() => {
      assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('vol/a.txt'), SANDBOX, ...vm.data('a.txt')), Errno.XDEV, 'out of the volume');
      assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('b.txt'), SANDBOX, ...vm.data('vol/b.txt')), Errno.XDEV, 'into the volume');
      assert.equal(vm.call('path_link', SANDBOX, 0, ...vm.data('b.txt'), SANDBOX, ...vm.data('vol/b2.txt')), Errno.XDEV, 'a link into it');
      vm.ok('path_rename', SANDBOX, ...vm.data('vol/a.txt'), SANDBOX, ...vm.data('vol/c.txt'));
      assert.equal(vm.read(vm.open('vol/c.txt')), 'a');
    });
  });

  it("a volume's budget: EDQUOT past it, its bytes given back when a file goes, and the VM's budget holds too", () => {
    const vm = new Vm({ fs: [dir('/sandbox/vol')], areas: [{ path: '/sandbox/vol', bytes: 1000 }], fileBytes: 1 << 20 });
    vm.run(() => {
      const fd = vm.open('vol/f', { oflags: OFlags.CREAT });
      vm.write(fd, 'x'.repeat(900));
      assert.equal(vm.call('fd_write', fd, ...vm.iovecs(vm.data('y'.repeat(200))), vm.alloc(4)), Errno.DQUOT, 'past the volume budget');
      vm.ok('fd_close', fd);
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('vol/f'));
      const again = vm.open('vol/g', { oflags: OFlags.CREAT });
      vm.write(again, 'z'.repeat(900)); // room again
      const outside = vm.open('big', { oflags: OFlags.CREAT });
      vm.write(outside, 'w'.repeat(20_000)); // outside the volume, its budget does not apply
    });
    const small = new Vm({ fs: [dir('/sandbox/vol')], areas: [{ path: '/sandbox/vol', bytes: 1 << 20 }], fileBytes: 500 });
    small.run(() => {
      const fd = small.open('vol/f', { oflags: OFlags.CREAT });
      assert.equal(small.call('fd_write', fd, ...small.iovecs(small.data('x'.repeat(600))), small.alloc(4)), Errno.NOSPC, "the VM's budget is drawn on too");
    });
  });
});
