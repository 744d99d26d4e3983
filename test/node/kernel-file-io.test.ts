// Opening regular files and moving bytes through them: path_open's oflags, read and write at the
// descriptor's offset, seek and tell, pread and pwrite at their own offset, and ESPIPE for the
// streams that cannot seek.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, Filetype, OFlags, RIGHTS_DIR, Whence } from '../../src/kernel/abi.js';
import { dir, file, run, SANDBOX, type Vm } from './kernel-harness.js';

const fs = [file('/sandbox/f', 'hello world'), dir('/sandbox/d')];

function pread(vm: Vm, fd: number, len: number, offset: bigint): string {
  const buf = vm.alloc(len);
  const out = vm.alloc(4);
  vm.ok('fd_pread', fd, ...vm.iovecs([buf, len]), offset, out);
  return vm.text(buf, vm.u32(out));
}

function contents(vm: Vm, path: string): string {
  return vm.read(vm.open(path), 1024);
}

describe('kernel: path_open', () => {
  it('CREAT makes an empty regular file, and opens an existing one as it is', () => {
    run({ fs }, (vm) => {
      vm.open('new', { oflags: OFlags.CREAT });
      assert.deepEqual([vm.pathStat('new').filetype, vm.pathStat('new').size], [Filetype.REGULAR_FILE, 0n]);
      assert.equal(contents(vm, 'new'), '');
      vm.open('f', { oflags: OFlags.CREAT });
      assert.equal(contents(vm, 'f'), 'hello world');
    });
  });

  it('CREAT|EXCL refuses an existing file or directory with EEXIST', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('f', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
      assert.equal(vm.openErrno('d', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
      vm.open('g', { oflags: OFlags.CREAT | OFlags.EXCL });
      assert.equal(vm.openErrno('g', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
      assert.equal(contents(vm, 'f'), 'hello world');
    });
  });

  it('TRUNC empties the file', () => {
    run({ fs }, (vm) => {
      vm.open('f', { oflags: OFlags.TRUNC });
      assert.equal(vm.pathStat('f').size, 0n);
      assert.equal(contents(vm, 'f'), '');
    });
  });

  it('DIRECTORY opens a directory, and refuses a file with ENOTDIR', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('f', { oflags: OFlags.DIRECTORY }), Errno.NOTDIR);
      const d = vm.open('d', { oflags: OFlags.DIRECTORY, rights: BigInt(RIGHTS_DIR) });
      assert.equal(vm.fdStat(d).filetype, Filetype.DIRECTORY);
    });
  });

  it('a missing file without CREAT is ENOENT, and so is a missing directory on the way', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('missing'), Errno.NOENT);
      assert.equal(vm.openErrno('missing/f', { oflags: OFlags.CREAT }), Errno.NOENT);
      assert.equal(vm.openErrno(''), Errno.NOENT);
    });
  });

  it('a file on the way is ENOTDIR', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('f/x'), Errno.NOTDIR);
      assert.equal(vm.openErrno('f/x', { oflags: OFlags.CREAT }), Errno.NOTDIR);
    });
  });

  it('a directory cannot be opened for writing or truncation (EISDIR), nor made as a file', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('d', { oflags: OFlags.TRUNC }), Errno.ISDIR);
      assert.equal(vm.openErrno('d'), Errno.ISDIR); // every right asked for, FD_WRITE among them
      assert.equal(vm.openErrno('d', { oflags: OFlags.CREAT, rights: 0n }), Errno.ISDIR);
      assert.equal(vm.openErrno('new/', { oflags: OFlags.CREAT, rights: 0n }), Errno.ISDIR);
      assert.equal(vm.statErrno('new'), Errno.NOENT);
    });
  });

  it('CREAT|DIRECTORY of a missing name is EINVAL: path_open makes files only', () => {
    run({ fs }, (vm) => {
      assert.equal(vm.openErrno('nd', { oflags: OFlags.CREAT | OFlags.DIRECTORY }), Errno.INVAL);
    });
  });

  it('refuses unknown fdflags with EINVAL', () => {
    run({ fs }, (vm) => assert.equal(vm.openErrno('f', { fdflags: 64 }), Errno.INVAL));
  });

  it('a path that is not UTF-8 is EILSEQ', () => {
    run({ fs }, (vm) => {
      const out = vm.alloc(4);
      assert.equal(vm.call('path_open', SANDBOX, 0, ...vm.data(new Uint8Array([0x66, 0xff])), OFlags.CREAT, 0n, 0n, 0, out), Errno.ILSEQ);
    });
  });
});

describe('kernel: read, write, seek, tell', () => {
  it('reads and writes at the offset, which they move', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      assert.equal(vm.read(fd, 5), 'hello');
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 5n);
      assert.equal(vm.write(fd, '_WORLD_'), 7);
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 12n);
      assert.equal(vm.pathStat('f').size, 12n, 'grown past the old end');
      vm.seek(fd, 0n, Whence.SET);
      assert.equal(vm.read(fd), 'hello_WORLD_');
      assert.equal(vm.read(fd), '', 'at the end: 0 bytes');
    });
  });

  it('scatters a read across iovecs and gathers a write from them', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      const [a, b] = [vm.alloc(3), vm.alloc(100)];
      const out = vm.alloc(4);
      vm.ok('fd_read', fd, ...vm.iovecs([a, 3], [b, 0], [b, 100]), out);
      assert.equal(vm.u32(out), 11);
      assert.equal(vm.text(a, 3) + vm.text(b, 8), 'hello world');
      const g = vm.open('g', { oflags: OFlags.CREAT });
      vm.ok('fd_write', g, ...vm.iovecs(vm.data('ab'), vm.data(''), vm.data('cd')), out);
      assert.equal(vm.u32(out), 4);
      assert.equal(contents(vm, 'g'), 'abcd');
    });
  });

  it('fd_seek from the start, the offset and the end; fd_tell agrees', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      assert.equal(vm.seek(fd, 6n, Whence.SET), 6n);
      assert.equal(vm.seek(fd, -2n, Whence.CUR), 4n);
      assert.equal(vm.seek(fd, -5n, Whence.END), 6n);
      const out = vm.alloc(8);
      vm.ok('fd_tell', fd, out);
      assert.equal(vm.u64(out), 6n);
      assert.equal(vm.read(fd), 'world');
    });
  });

  it('a seek past the end is allowed; writing there leaves a hole of zeros', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      assert.equal(vm.seek(fd, 3n, Whence.END), 14n);
      assert.equal(vm.pathStat('f').size, 11n, 'seeking alone does not grow the file');
      vm.write(fd, '!');
      assert.equal(contents(vm, 'f'), 'hello world\0\0\0!');
    });
  });

  it('a seek to before the start, or from an unknown whence, is EINVAL and keeps the offset', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      vm.seek(fd, 4n, Whence.SET);
      const out = vm.alloc(8);
      assert.equal(vm.call('fd_seek', fd, -12n, Whence.END, out), Errno.INVAL);
      assert.equal(vm.call('fd_seek', fd, -5n, Whence.CUR, out), Errno.INVAL);
      assert.equal(vm.call('fd_seek', fd, -1n, Whence.SET, out), Errno.INVAL);
      assert.equal(vm.call('fd_seek', fd, 0n, 3, out), Errno.INVAL);
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 4n);
    });
  });

  it('stdio cannot seek or tell: ESPIPE', () => {
    run({ stdin: 'in' }, (vm) => {
      const out = vm.alloc(8);
      for (const fd of [0, 1, 2]) {
        assert.equal(vm.call('fd_seek', fd, 0n, Whence.SET, out), Errno.SPIPE);
        assert.equal(vm.call('fd_seek', fd, 0n, Whence.CUR, out), Errno.SPIPE);
        assert.equal(vm.call('fd_tell', fd, out), Errno.SPIPE);
      }
      assert.equal(vm.read(0), 'in');
    });
  });

  it('a directory cannot be read or written: EISDIR', () => {
    run({ fs }, (vm) => {
      const out = vm.alloc(4);
      assert.equal(vm.call('fd_read', SANDBOX, ...vm.iovecs([vm.alloc(4), 4]), out), Errno.ISDIR);
      assert.equal(vm.call('fd_write', SANDBOX, ...vm.iovecs(vm.data('x')), out), Errno.ISDIR);
      assert.equal(vm.call('fd_pread', SANDBOX, ...vm.iovecs([vm.alloc(4), 4]), 0n, out), Errno.ISDIR);
    });
  });
});

describe('kernel: pread and pwrite', () => {
  it('read and write at their own offset and leave the descriptor offset where it was', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      vm.seek(fd, 2n, Whence.SET);
      assert.equal(pread(vm, fd, 5, 6n), 'world');
      const out = vm.alloc(4);
      vm.ok('fd_pwrite', fd, ...vm.iovecs(vm.data('J')), 0n, out);
      assert.equal(vm.u32(out), 1);
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 2n);
      assert.equal(vm.read(fd), 'llo world');
      assert.equal(pread(vm, fd, 5, 0n), 'Jello');
    });
  });

  it('pread past the end reads nothing; pwrite past the end grows the file with zeros', () => {
    run({ fs }, (vm) => {
      const fd = vm.open('f');
      assert.equal(pread(vm, fd, 4, 100n), '');
      vm.ok('fd_pwrite', fd, ...vm.iovecs(vm.data('!')), 13n, vm.alloc(4));
      assert.equal(pread(vm, fd, 100, 0n), 'hello world\0\0!');
      assert.equal(vm.seek(fd, 0n, Whence.CUR), 0n);
    });
  });

  it('pread and pwrite on stdio are ESPIPE, as fd_seek is (a stream has no offsets), reading and writing nothing', () => {
    const vm = run({ stdin: 'in' }, (vm) => {
      const out = vm.alloc(4);
      assert.equal(vm.call('fd_pread', 0, ...vm.iovecs([vm.alloc(4), 4]), 0n, out), Errno.SPIPE);
      assert.equal(vm.call('fd_pwrite', 1, ...vm.iovecs(vm.data('x')), 0n, out), Errno.SPIPE);
      assert.equal(vm.read(0), 'in');
    });
    assert.deepEqual(vm.stdout, []);
  });
});
