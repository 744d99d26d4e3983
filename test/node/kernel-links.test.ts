// Names and links: path_rename's POSIX rules, hard links and their counts, symlinks and
// path_readlink, and path_filestat_get with and without following a final symlink.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, Filetype, LookupFlags } from '../../src/kernel/abi.js';
import { dir, file, run, SANDBOX, symlink, type Vm } from './kernel-harness.js';

const rename = (vm: Vm, from: string, to: string) => vm.call('path_rename', SANDBOX, ...vm.data(from), SANDBOX, ...vm.data(to));
const link = (vm: Vm, from: string, to: string, lookup = 0) => vm.call('path_link', SANDBOX, lookup, ...vm.data(from), SANDBOX, ...vm.data(to));
const exists = (vm: Vm, path: string) => vm.statErrno(path, 0) === Errno.SUCCESS;
const contents = (vm: Vm, path: string) => vm.read(vm.open(path));

describe('kernel: path_rename', () => {
  const fs = [file('/sandbox/f', 'F'), file('/sandbox/g', 'G'), dir('/sandbox/empty'), file('/sandbox/full/x', 'X')];

  it('moves a file to a new name, keeping its inode', () => {
    run({ fs }, (vm) => {
      const ino = vm.pathStat('f').ino;
      assert.equal(rename(vm, 'f', 'empty/h'), Errno.SUCCESS);
      assert.equal(exists(vm, 'f'), false);
      assert.equal(vm.pathStat('empty/h').ino, ino);
    });
  });

  it('puts a file over a file, which is replaced', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'f', 'g'), Errno.SUCCESS);
      assert.equal(contents(vm, 'g'), 'F');
      assert.equal(exists(vm, 'f'), false);
    });
  });

  it('puts a directory over an empty directory, never over a non-empty one (ENOTEMPTY)', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'empty', 'full'), Errno.NOTEMPTY);
      assert.equal(contents(vm, 'full/x'), 'X');
      assert.equal(rename(vm, 'full', 'empty'), Errno.SUCCESS);
      assert.equal(contents(vm, 'empty/x'), 'X');
      assert.equal(exists(vm, 'full'), false);
    });
  });

  it('refuses a directory into its own subtree with EINVAL', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'full', 'full/sub'), Errno.INVAL);
      assert.equal(rename(vm, 'full', 'full/../full/sub'), Errno.INVAL);
      assert.equal(contents(vm, 'full/x'), 'X');
    });
  });

  it('refuses a file over a directory (EISDIR) and a directory over a file (ENOTDIR)', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'f', 'empty'), Errno.ISDIR);
      assert.equal(rename(vm, 'empty', 'f'), Errno.NOTDIR);
      assert.equal(contents(vm, 'f'), 'F');
    });
  });

  it('a file cannot take a name with a trailing slash (ENOTDIR); a directory can', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'f', 'h/'), Errno.NOTDIR);
      assert.equal(exists(vm, 'h'), false);
      assert.equal(rename(vm, 'empty', 'e2/'), Errno.SUCCESS);
      assert.equal(vm.pathStat('e2').filetype, Filetype.DIRECTORY);
    });
  });

  it('a missing source is ENOENT; a name onto itself changes nothing', () => {
    run({ fs }, (vm) => {
      assert.equal(rename(vm, 'missing', 'h'), Errno.NOENT);
      assert.equal(rename(vm, 'f', 'f'), Errno.SUCCESS);
      assert.equal(contents(vm, 'f'), 'F');
    });
  });

  it('renames a symlink itself, not what it points at', () => {
    run({ fs: [...fs, symlink('/sandbox/l', 'f')] }, (vm) => {
      assert.equal(rename(vm, 'l', 'm'), Errno.SUCCESS);
      assert.equal(vm.pathStat('m', 0).filetype, Filetype.SYMBOLIC_LINK);
      assert.equal(contents(vm, 'f'), 'F');
    });
  });
});

describe('kernel: path_link', () => {
  it('gives a file a second name; nlink counts the names', () => {
    run({ fs: [file('/sandbox/f', 'F')] }, (vm) => {
      assert.equal(link(vm, 'f', 'g'), Errno.SUCCESS);
      assert.equal(vm.pathStat('f').nlink, 2n);
      assert.equal(vm.pathStat('g').ino, vm.pathStat('f').ino);
      vm.write(vm.open('g'), 'G');
      assert.equal(contents(vm, 'f'), 'G', 'one file, two names');
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('f'));
      assert.equal(vm.pathStat('g').nlink, 1n);
    });
  });

  it('EPERM for a directory, EEXIST for a name taken, ENOENT for a missing source or a trailing slash', () => {
    run({ fs: [file('/sandbox/f', 'F'), file('/sandbox/g', 'G'), dir('/sandbox/d')] }, (vm) => {
      assert.equal(link(vm, 'd', 'd2'), Errno.PERM);
      assert.equal(link(vm, 'f', 'g'), Errno.EXIST);
      assert.equal(link(vm, 'f', 'd'), Errno.EXIST);
      assert.equal(link(vm, 'missing', 'h'), Errno.NOENT);
      assert.equal(link(vm, 'f', 'h/'), Errno.NOENT);
      assert.equal(exists(vm, 'h'), false);
      assert.equal(vm.pathStat('f').nlink, 1n);
    });
  });

  it('links the symlink itself, or with SYMLINK_FOLLOW what it points at', () => {
    run({ fs: [file('/sandbox/f', 'F'), symlink('/sandbox/l', 'f')] }, (vm) => {
      assert.equal(link(vm, 'l', 'a'), Errno.SUCCESS);
      assert.equal(vm.pathStat('a', 0).filetype, Filetype.SYMBOLIC_LINK);
      assert.equal(link(vm, 'l', 'b', LookupFlags.SYMLINK_FOLLOW), Errno.SUCCESS);
      assert.equal(vm.pathStat('b', 0).ino, vm.pathStat('f').ino);
      assert.equal(vm.pathStat('f').nlink, 2n);
    });
  });
});

describe('kernel: path_symlink and path_readlink', () => {
  it('makes a symlink whose target reads back, as given, even when it names nothing', () => {
    run({}, (vm) => {
      vm.ok('path_symlink', ...vm.data('no/such/thing'), SANDBOX, ...vm.data('l'));
      const buf = vm.alloc(64);
      const out = vm.alloc(4);
      vm.ok('path_readlink', SANDBOX, ...vm.data('l'), buf, 64, out);
      assert.equal(vm.text(buf, vm.u32(out)), 'no/such/thing');
      assert.equal(vm.u8[buf + 13], 0xaa, 'no NUL written');
    });
  });

  it('cuts the target to the buffer', () => {
    run({ fs: [symlink('/sandbox/l', 'abcdefgh')] }, (vm) => {
      const buf = vm.alloc(8);
      const out = vm.alloc(4);
      vm.ok('path_readlink', SANDBOX, ...vm.data('l'), buf, 3, out);
      assert.equal(vm.u32(out), 3);
      assert.equal(vm.text(buf, 3), 'abc');
      assert.equal(vm.u8[buf + 3], 0xaa);
    });
  });

  it('path_symlink refuses a name taken (EEXIST) or with a trailing slash (ENOENT)', () => {
    run({ fs: [file('/sandbox/f', '')] }, (vm) => {
      assert.equal(vm.call('path_symlink', ...vm.data('x'), SANDBOX, ...vm.data('f')), Errno.EXIST);
      assert.equal(vm.call('path_symlink', ...vm.data('x'), SANDBOX, ...vm.data('n/')), Errno.NOENT);
      assert.equal(exists(vm, 'n'), false);
    });
  });

  it('path_symlink refuses an absolute target (EPERM, as wasmtime) and an empty one (ENOENT), making nothing', () => {
    run({}, (vm) => {
      assert.equal(vm.call('path_symlink', ...vm.data('/etc/passwd'), SANDBOX, ...vm.data('abs')), Errno.PERM);
      assert.equal(vm.call('path_symlink', ...vm.data('/'), SANDBOX, ...vm.data('root')), Errno.PERM);
      assert.equal(vm.call('path_symlink', ...vm.data(''), SANDBOX, ...vm.data('empty')), Errno.NOENT);
      for (const name of ['abs', 'root', 'empty']) assert.equal(exists(vm, name), false, name);
      vm.ok('path_symlink', ...vm.data('../sandbox/x'), SANDBOX, ...vm.data('rel')); // relative: made, checked when followed
    });
  });

  it('path_readlink of what is not a symlink is EINVAL; of nothing, ENOENT', () => {
    run({ fs: [file('/sandbox/f', '')] }, (vm) => {
      assert.equal(vm.call('path_readlink', SANDBOX, ...vm.data('f'), vm.alloc(8), 8, vm.alloc(4)), Errno.INVAL);
      assert.equal(vm.call('path_readlink', SANDBOX, ...vm.data('.'), vm.alloc(8), 8, vm.alloc(4)), Errno.INVAL);
      assert.equal(vm.call('path_readlink', SANDBOX, ...vm.data('missing'), vm.alloc(8), 8, vm.alloc(4)), Errno.NOENT);
    });
  });
});

describe('kernel: path_filestat_get', () => {
  it('describes a symlink itself without SYMLINK_FOLLOW, and its target with it', () => {
    run({ fs: [file('/sandbox/f', 'twelve bytes'), symlink('/sandbox/l', 'f')] }, (vm) => {
      const link = vm.pathStat('l', 0);
      const target = vm.pathStat('l', LookupFlags.SYMLINK_FOLLOW);
      assert.deepEqual([link.filetype, link.size], [Filetype.SYMBOLIC_LINK, 1n]);
      assert.deepEqual([target.filetype, target.size, target.ino], [Filetype.REGULAR_FILE, 12n, vm.pathStat('f').ino]);
    });
  });

  it('follows symlinks on the way whatever the flag', () => {
    run({ fs: [file('/sandbox/real/f', 'x'), symlink('/sandbox/d', 'real')] }, (vm) => {
      assert.equal(vm.pathStat('d/f', 0).ino, vm.pathStat('real/f').ino);
    });
  });

  it('gives distinct inodes, nlink 1 and the size for files and directories', () => {
    run({ fs: [file('/sandbox/f', 'abc'), dir('/sandbox/d')] }, (vm) => {
      const [f, d] = [vm.pathStat('f'), vm.pathStat('d')];
      assert.notEqual(f.ino, d.ino);
      assert.deepEqual([f.filetype, f.nlink, f.size], [Filetype.REGULAR_FILE, 1n, 3n]);
      assert.equal(d.filetype, Filetype.DIRECTORY);
      assert.deepEqual(vm.fdStat(vm.open('f')), f);
    });
  });
});
