// The filesystem image a kernel is built from: what it makes, which directories become the
// preopens, and that a run never writes back into the image's bytes (the host may hand the same
// image to the next VM).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FsImage } from '../../src/contract/fs-image.js';
import { Errno, Filetype, OFlags, Whence } from '../../src/kernel/abi.js';
import { dir, file, run, SANDBOX, symlink } from './kernel-harness.js';

describe('kernel: filesystem image', () => {
  it('makes the files, directories and symlinks it lists, parents included', () => {
    run({ fs: [file('/sandbox/a/b/f', 'deep'), dir('/sandbox/e'), symlink('/sandbox/l', 'a/b/f')] }, (vm) => {
      assert.equal(vm.pathStat('a').filetype, Filetype.DIRECTORY);
      assert.equal(vm.read(vm.open('l')), 'deep');
      assert.equal(vm.pathStat('e').filetype, Filetype.DIRECTORY);
      assert.equal(vm.pathStat('l', 0).filetype, Filetype.SYMBOLIC_LINK);
    });
  });

  it('preopens its directories as fds 3, 4, ... in order, making any that are missing', () => {
    run({ preopens: ['/sandbox', '/out', '/sandbox/inner'], fs: [file('/sandbox/inner/x', 'x')] }, (vm) => {
      assert.equal(vm.read(vm.open('x', { dirfd: 5 })), 'x');
      assert.equal(vm.pathStat('inner/x').ino, vm.pathStat('x', 0, 5).ino, 'the same tree, seen from two preopens');
      vm.open('made', { dirfd: 4, oflags: OFlags.CREAT });
      assert.equal(vm.pathStat('made', 0, 4).filetype, Filetype.REGULAR_FILE);
    });
  });

  it('is not written by a run: writes, truncation and resizing change the VM\'s copy only', () => {
    const data = new TextEncoder().encode('original');
    const image: FsImage['entries'] = [{ path: '/sandbox/w', type: 'file', data }, { path: '/sandbox/t', type: 'file', data }];
    run({ fs: image }, (vm) => {
      const w = vm.open('w');
      vm.write(w, 'OVER'); // fits in the file: no growth to force a copy
      vm.ok('fd_filestat_set_size', w, 3n);
      vm.open('t', { oflags: OFlags.TRUNC });
      vm.seek(w, 0n, Whence.SET);
      assert.equal(vm.read(w), 'OVE');
      assert.equal(vm.pathStat('t').size, 0n);
    });
    assert.equal(new TextDecoder().decode(data), 'original');
    run({ fs: image }, (vm) => assert.equal(vm.read(vm.open('w')), 'original'));
  });

  it('shares nothing between VMs built from the same image', () => {
    const fs = [file('/sandbox/f', 'shared')];
    run({ fs }, (vm) => {
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('f'));
      vm.open('new', { oflags: OFlags.CREAT });
    });
    run({ fs }, (vm) => {
      assert.equal(vm.read(vm.open('f')), 'shared');
      assert.equal(vm.statErrno('new'), Errno.NOENT);
    });
  });
});
