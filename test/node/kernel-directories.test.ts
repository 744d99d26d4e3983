// Directories: making and removing them, unlinking files, and fd_readdir's listing — ".", "..",
// then entries in the order they were made, resumable from any cookie, cut to the buffer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, Filetype, OFlags, RIGHTS_DIR } from '../../src/kernel/abi.js';
import { dir, file, run, SANDBOX, symlink, type Vm } from './kernel-harness.js';

interface Dirent {
  next: bigint;
  ino: bigint;
  type: number;
  name: string;
}

/** fd_readdir into a buffer of `len` bytes from `cookie`: the raw bytes and how many were used. */
function readdirRaw(vm: Vm, fd: number, len: number, cookie = 0n): { buf: number; used: number } {
  const buf = vm.alloc(len);
  const out = vm.alloc(4);
  vm.ok('fd_readdir', fd, buf, len, cookie, out);
  return { buf, used: vm.u32(out) };
}

/** The whole entries in a readdir buffer (a cut last one is left out). */
function parse(vm: Vm, buf: number, used: number): Dirent[] {
  const entries: Dirent[] = [];
  for (let at = buf; at + 24 <= buf + used; ) {
    const namlen = vm.u32(at + 16);
    if (at + 24 + namlen > buf + used) break;
    entries.push({ next: vm.u64(at), ino: vm.u64(at + 8), type: vm.u8[at + 20], name: vm.text(at + 24, namlen) });
    at += 24 + namlen;
  }
  return entries;
}

const names = (entries: Dirent[]) => entries.map((e) => e.name);

function openDir(vm: Vm, path: string): number {
  return vm.open(path, { oflags: OFlags.DIRECTORY, rights: BigInt(RIGHTS_DIR) });
}

describe('kernel: path_create_directory', () => {
  it('makes a directory; an existing name is EEXIST, a missing parent ENOENT', () => {
    run({ fs: [file('/sandbox/f', '')] }, (vm) => {
      vm.ok('path_create_directory', SANDBOX, ...vm.data('d'));
      vm.ok('path_create_directory', SANDBOX, ...vm.data('d/e/'));
      assert.equal(vm.pathStat('d/e').filetype, Filetype.DIRECTORY);
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('d')), Errno.EXIST);
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('f')), Errno.EXIST);
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('.')), Errno.EXIST);
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('x/y')), Errno.NOENT);
    });
  });
});

describe('kernel: fd_readdir', () => {
  const fs = [dir('/sandbox/d'), file('/sandbox/d/b', 'x'), dir('/sandbox/d/a'), symlink('/sandbox/d/c', 'b')];

  it('lists ".", "..", then the entries in the order made, with their inodes and types', () => {
    run({ fs }, (vm) => {
      const d = openDir(vm, 'd');
      vm.open('d/z', { oflags: OFlags.CREAT });
      const { buf, used } = readdirRaw(vm, d, 1024);
      const entries = parse(vm, buf, used);
      assert.deepEqual(names(entries), ['.', '..', 'b', 'a', 'c', 'z']);
      assert.ok(used < 1024, 'all of it fits');
      assert.deepEqual(entries.map((e) => e.next), [1n, 2n, 3n, 4n, 5n, 6n]);
      assert.deepEqual(entries.map((e) => e.type), [Filetype.DIRECTORY, Filetype.DIRECTORY, Filetype.REGULAR_FILE, Filetype.DIRECTORY, Filetype.SYMBOLIC_LINK, Filetype.REGULAR_FILE]);
      const ino = (path: string) => vm.pathStat(path, 0).ino;
      assert.deepEqual(entries.map((e) => e.ino), [ino('d'), ino('.'), ino('d/b'), ino('d/a'), ino('d/c'), ino('d/z')]);
    });
  });

  it('resumes from a cookie', () => {
    run({ fs }, (vm) => {
      const d = openDir(vm, 'd');
      const { buf, used } = readdirRaw(vm, d, 1024, 3n);
      assert.deepEqual(names(parse(vm, buf, used)), ['a', 'c']);
      assert.equal(readdirRaw(vm, d, 1024, 5n).used, 0, 'at the end');
      assert.equal(readdirRaw(vm, d, 1024, 1000n).used, 0, 'past the end');
    });
  });

  it('cuts the last entry to the buffer, using it all, so the guest calls again from the last whole one', () => {
    run({ fs }, (vm) => {
      const d = openDir(vm, 'd');
      // "." takes 25 bytes; 10 more hold only part of ".."'s header
      const { buf, used } = readdirRaw(vm, d, 35);
      assert.equal(used, 35);
      const whole = parse(vm, buf, used);
      assert.deepEqual(names(whole), ['.']);
      const rest = readdirRaw(vm, d, 1024, whole[0].next);
      assert.deepEqual(names(parse(vm, rest.buf, rest.used)), ['..', 'b', 'a', 'c']);
      // room for ".", "..", and the header of "b" without its one-byte name
      const cut = readdirRaw(vm, d, 25 + 26 + 24);
      assert.equal(cut.used, 75);
      assert.deepEqual(names(parse(vm, cut.buf, cut.used)), ['.', '..']);
      assert.equal(vm.u32(cut.buf + 51 + 16), 1, "b's header is there, its name is not");
    });
  });

  it('lists an emptied directory as "." and ".." alone', () => {
    run({ fs: [file('/sandbox/d/f', '')] }, (vm) => {
      const d = openDir(vm, 'd');
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('d/f'));
      const { buf, used } = readdirRaw(vm, d, 1024);
      assert.deepEqual(names(parse(vm, buf, used)), ['.', '..']);
    });
  });

  it('refuses a file with ENOTDIR', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.call('fd_readdir', vm.open('d/b'), vm.alloc(64), 64, 0n, vm.alloc(4)), Errno.NOTDIR);
      assert.equal(vm.call('fd_readdir', 1, vm.alloc(64), 64, 0n, vm.alloc(4)), Errno.NOTDIR);
    });
  });
});

describe('kernel: path_remove_directory', () => {
  it('removes an empty directory', () => {
    run({ fs: [dir('/sandbox/d')] }, (vm) => {
      vm.ok('path_remove_directory', SANDBOX, ...vm.data('d'));
      assert.equal(vm.statErrno('d'), Errno.NOENT);
    });
  });

  it('ENOTEMPTY for a directory with entries, ENOTDIR for a file, ENOENT for nothing, EINVAL for "."', () => {
    run({ fs: [file('/sandbox/d/f', ''), file('/sandbox/f', '')] }, (vm) => {
      assert.equal(vm.call('path_remove_directory', SANDBOX, ...vm.data('d')), Errno.NOTEMPTY);
      assert.equal(vm.call('path_remove_directory', SANDBOX, ...vm.data('f')), Errno.NOTDIR);
      assert.equal(vm.call('path_remove_directory', SANDBOX, ...vm.data('missing')), Errno.NOENT);
      assert.equal(vm.call('path_remove_directory', SANDBOX, ...vm.data('.')), Errno.INVAL);
      assert.equal(vm.pathStat('d/f').filetype, Filetype.REGULAR_FILE);
    });
  });

  it('leaves an open descriptor on a removed directory in which nothing can be made', () => {
    run({ fs: [dir('/sandbox/d')] }, (vm) => {
      const d = openDir(vm, 'd');
      vm.ok('path_remove_directory', SANDBOX, ...vm.data('d'));
      assert.equal(vm.openErrno('f', { dirfd: d, oflags: OFlags.CREAT }), Errno.NOENT);
      assert.equal(vm.call('path_create_directory', d, ...vm.data('e')), Errno.NOENT);
      assert.equal(vm.fdStat(d).nlink, 0n);
    });
  });
});

describe('kernel: path_unlink_file', () => {
  it('removes a file; the data lives on while a descriptor is open', () => {
    run({ fs: [file('/sandbox/f', 'still here')] }, (vm) => {
      const fd = vm.open('f');
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('f'));
      assert.equal(vm.openErrno('f'), Errno.NOENT);
      assert.equal(vm.read(fd), 'still here');
      assert.equal(vm.fdStat(fd).nlink, 0n);
    });
  });

  it('removes a symlink, not what it points at', () => {
    run({ fs: [file('/sandbox/f', ''), symlink('/sandbox/l', 'f')] }, (vm) => {
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('l'));
      assert.equal(vm.pathStat('f').filetype, Filetype.REGULAR_FILE);
    });
  });

  it('EISDIR for a directory, ENOENT for nothing, ENOTDIR for a file with a trailing slash', () => {
    run({ fs: [dir('/sandbox/d'), file('/sandbox/f', '')] }, (vm) => {
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('d')), Errno.ISDIR);
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('.')), Errno.ISDIR);
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('missing')), Errno.NOENT);
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('f/')), Errno.NOTDIR);
      assert.equal(vm.pathStat('d').filetype, Filetype.DIRECTORY);
    });
  });
});
