// Confinement: a path resolved from a directory descriptor never leaves that directory — not by
// "..", not as an absolute path, not through a symlink — and symlink chains end (ELOOP).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, Filetype, LookupFlags, OFlags, RIGHTS_DIR } from '../../src/kernel/abi.js';
import { dir, file, run, SANDBOX, symlink } from './kernel-harness.js';

// /secret sits beside /sandbox: reachable by name from the root, which is not preopened.
const fs = [file('/secret', 'the secret'), file('/sandbox/f', 'inside'), dir('/sandbox/d')];

describe('kernel: confinement', () => {
  it('".." above the preopen is ENOTCAPABLE, however it is reached', () => {
    run({ fs }, (vm) => {
      for (const path of ['..', '../secret', 'd/../../secret', 'd/../..', './../sandbox/f']) {
        assert.equal(vm.statErrno(path), Errno.NOTCAPABLE, path);
        assert.equal(vm.openErrno(path, { oflags: OFlags.CREAT }), Errno.NOTCAPABLE, path);
      }
      assert.equal(vm.call('path_create_directory', SANDBOX, ...vm.data('../x')), Errno.NOTCAPABLE);
      assert.equal(vm.call('path_unlink_file', SANDBOX, ...vm.data('../secret')), Errno.NOTCAPABLE);
      assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('f'), SANDBOX, ...vm.data('../f')), Errno.NOTCAPABLE);
      assert.equal(vm.pathStat('f').size, 6n);
    });
  });

  it('".." that stays inside is fine', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.read(vm.open('d/../f')), 'inside');
      assert.equal(vm.pathStat('d/..').ino, vm.fdStat(SANDBOX).ino);
    });
  });

  it('a directory opened inside is a boundary of its own', () => {
    run({ fs: [...fs, file('/sandbox/d/g', 'g')] }, (vm) => {
      const d = vm.open('d', { oflags: OFlags.DIRECTORY, rights: BigInt(RIGHTS_DIR) });
      assert.equal(vm.read(vm.open('g', { dirfd: d })), 'g');
      assert.equal(vm.statErrno('../f', LookupFlags.SYMLINK_FOLLOW, d), Errno.NOTCAPABLE);
    });
  });

  it('absolute paths are ENOTCAPABLE, even ones naming the preopen', () => {
    run({ fs }, (vm) => {
      for (const path of ['/secret', '/sandbox/f', '/']) {
        assert.equal(vm.statErrno(path), Errno.NOTCAPABLE, path);
        assert.equal(vm.openErrno(path), Errno.NOTCAPABLE, path);
      }
    });
  });

  it('a symlink to an absolute path is ENOTCAPABLE when followed, but can be read and stat-ed', () => {
    run({ fs: [...fs, symlink('/sandbox/abs', '/secret')] }, (vm) => {
      assert.equal(vm.statErrno('abs'), Errno.NOTCAPABLE);
      assert.equal(vm.openErrno('abs'), Errno.NOTCAPABLE);
      assert.equal(vm.openErrno('abs', { oflags: OFlags.CREAT }), Errno.NOTCAPABLE);
      assert.equal(vm.pathStat('abs', 0).filetype, Filetype.SYMBOLIC_LINK);
      const buf = vm.alloc(16);
      const out = vm.alloc(4);
      vm.ok('path_readlink', SANDBOX, ...vm.data('abs'), buf, 16, out);
      assert.equal(vm.text(buf, vm.u32(out)), '/secret');
    });
  });

  it('a relative symlink that climbs out is ENOTCAPABLE, on the way or at the end', () => {
    run({ fs: [...fs, symlink('/sandbox/up', '../secret'), symlink('/sandbox/d/upup', '../../sandbox'), symlink('/sandbox/parent', '..')] }, (vm) => {
      assert.equal(vm.openErrno('up'), Errno.NOTCAPABLE);
      assert.equal(vm.openErrno('d/upup/f'), Errno.NOTCAPABLE);
      assert.equal(vm.openErrno('parent/secret'), Errno.NOTCAPABLE);
    });
  });

  it('a relative symlink that stays inside is followed', () => {
    run({ fs: [...fs, symlink('/sandbox/d/back', '../f'), symlink('/sandbox/dd', 'd/.')] }, (vm) => {
      assert.equal(vm.read(vm.open('d/back')), 'inside');
      assert.equal(vm.read(vm.open('dd/back')), 'inside');
    });
  });

  it('a symlink loop is ELOOP', () => {
    run({ fs: [symlink('/sandbox/a', 'b'), symlink('/sandbox/b', 'a'), symlink('/sandbox/self', 'self/x')] }, (vm) => {
      assert.equal(vm.openErrno('a'), Errno.LOOP);
      assert.equal(vm.openErrno('self'), Errno.LOOP);
      assert.equal(vm.statErrno('a/x', 0), Errno.LOOP);
    });
  });

  it('a long chain of symlinks that ends is followed', () => {
    const chain = Array.from({ length: 30 }, (_, i) => symlink(`/sandbox/l${i}`, i === 29 ? 'f' : `l${i + 1}`));
    run({ fs: [...fs, ...chain] }, (vm) => assert.equal(vm.read(vm.open('l0')), 'inside'));
  });

  it('a dangling symlink is ENOENT; O_CREAT through it makes its target', () => {
    run({ fs: [...fs, symlink('/sandbox/dangling', 'd/target')] }, (vm) => {
      assert.equal(vm.openErrno('dangling'), Errno.NOENT);
      assert.equal(vm.statErrno('dangling'), Errno.NOENT);
      vm.write(vm.open('dangling', { oflags: OFlags.CREAT }), 'made');
      assert.equal(vm.read(vm.open('d/target')), 'made');
      assert.equal(vm.pathStat('dangling', 0).filetype, Filetype.SYMBOLIC_LINK);
    });
  });

  it('O_CREAT|O_EXCL does not follow a final symlink: EEXIST, and nothing made', () => {
    run({ fs: [...fs, symlink('/sandbox/dangling', 'd/target')] }, (vm) => {
      assert.equal(vm.openErrno('dangling', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
      assert.equal(vm.statErrno('d/target'), Errno.NOENT);
    });
  });

  it('without SYMLINK_FOLLOW, path_open of a symlink is ELOOP', () => {
    run({ fs: [...fs, symlink('/sandbox/l', 'f')] }, (vm) => {
      assert.equal(vm.openErrno('l', { lookup: 0 }), Errno.LOOP);
      assert.equal(vm.openErrno('l', { lookup: 0, oflags: OFlags.CREAT }), Errno.LOOP);
    });
  });

  it('a trailing slash on a link to a directory: lookups follow it, calls on the name itself do not', () => {
    run({ fs: [...fs, symlink('/sandbox/ld', 'd'), symlink('/sandbox/dangling', 'nowhere')] }, (vm) => {
      const call = (name: string, ...args: (number | bigint)[]) => vm.call(name, SANDBOX, ...args);
      assert.equal(call('path_remove_directory', ...vm.data('ld/')), Errno.NOTDIR, 'rmdir does not remove what the link points at');
      assert.equal(call('path_unlink_file', ...vm.data('ld/')), Errno.NOTDIR);
      assert.equal(vm.call('path_rename', SANDBOX, ...vm.data('ld/'), SANDBOX, ...vm.data('moved')), Errno.NOTDIR);
      assert.equal(call('path_create_directory', ...vm.data('dangling/')), Errno.EXIST, 'mkdir does not make the link\'s target');
      assert.equal(vm.statErrno('nowhere', 0), Errno.NOENT);
      assert.equal(vm.pathStat('d', 0).filetype, Filetype.DIRECTORY, 'the directory is still there');
      assert.equal(vm.pathStat('ld', 0).filetype, Filetype.SYMBOLIC_LINK, 'and so is the link');
    });
  });

  it('a trailing slash asks for a directory: ENOTDIR for a file, even through a symlink', () => {
    run({ fs: [...fs, symlink('/sandbox/l', 'f'), symlink('/sandbox/ld', 'd')] }, (vm) => {
      assert.equal(vm.openErrno('f/'), Errno.NOTDIR);
      assert.equal(vm.statErrno('f/'), Errno.NOTDIR);
      assert.equal(vm.statErrno('l/', 0), Errno.NOTDIR);
      assert.equal(vm.pathStat('ld/', 0).filetype, Filetype.DIRECTORY);
      assert.equal(vm.pathStat('d/').filetype, Filetype.DIRECTORY);
    });
  });

  it('a name longer than 255 bytes is ENAMETOOLONG', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.statErrno('x'.repeat(256)), Errno.NAMETOOLONG);
      assert.equal(vm.statErrno('x'.repeat(255)), Errno.NOENT);
      assert.equal(vm.statErrno('é'.repeat(128)), Errno.NAMETOOLONG, '128 characters, 256 bytes');
      assert.equal(vm.statErrno('é'.repeat(127) + 'x'), Errno.NOENT, '255 bytes');
    });
  });
});
