// A file's bytes past one chunk (1 MiB), and the budget all of a VM's files share: reads and
// writes across chunk boundaries, shrinking and growing, images never written, and ENOSPC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Errno, OFlags } from '../../src/kernel/abi.js';
import { CHUNK, FileBudget, FileBytes } from '../../src/kernel/fs/file-bytes.js';
import { run, SANDBOX } from './kernel-harness.js';

/** Bytes that differ at every offset (mod 251), so a misplaced copy shows. */
function pattern(length: number, from = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (from + i) % 251;
  return out;
}

function readAll(file: FileBytes, pos = 0, len = file.size - pos): Uint8Array {
  const out = new Uint8Array(len);
  assert.equal(file.read(out, 0, pos, len), len);
  return out;
}

/** Throws unless `f` fails with `errno`. */
function failsWith(errno: Errno, f: () => void): void {
  assert.throws(f, (e: unknown) => e === errno);
}

describe('kernel: file bytes in chunks', () => {
  it('writes and reads across chunk boundaries, in pieces of odd sizes', () => {
    const file = new FileBytes(new FileBudget(Infinity));
    const whole = pattern(3.5 * CHUNK);
    for (let at = 0; at < whole.length; ) {
      const n = Math.min(whole.length - at, 77_777);
      file.write(whole, at, at, n);
      at += n;
    }
    assert.equal(file.size, whole.length);
    assert.deepEqual(readAll(file), whole);
    assert.deepEqual(readAll(file, CHUNK - 3, 10), whole.subarray(CHUNK - 3, CHUNK + 7), 'a read that spans a boundary');
  });

  it('reads nothing past the end, and a short read at the end', () => {
    const file = new FileBytes(new FileBudget(Infinity));
    file.write(pattern(100), 0, 0, 100);
    const out = new Uint8Array(50);
    assert.equal(file.read(out, 0, 90, 50), 10);
    assert.equal(file.read(out, 0, 100, 50), 0);
    assert.equal(file.read(out, 0, 5000, 50), 0);
  });

  it('a write past the end leaves a hole of zeros, across chunks', () => {
    const file = new FileBytes(new FileBudget(Infinity));
    file.write(pattern(10), 0, 0, 10);
    file.write(pattern(10), 0, 2 * CHUNK + 5, 10);
    const hole = readAll(file, 10, 2 * CHUNK - 5);
    assert.ok(hole.every((b) => b === 0), 'the hole reads as zeros');
    assert.equal(file.size, 2 * CHUNK + 15);
  });

  it('shrinking zeroes what it cut, so growing again reads zeros', () => {
    const file = new FileBytes(new FileBudget(Infinity));
    file.write(pattern(3 * CHUNK), 0, 0, 3 * CHUNK);
    file.resize(CHUNK + 100);
    file.resize(3 * CHUNK);
    assert.deepEqual(readAll(file, 0, CHUNK + 100), pattern(CHUNK + 100));
    assert.ok(readAll(file, CHUNK + 100).every((b) => b === 0));
    file.resize(5);
    file.resize(50);
    assert.deepEqual(readAll(file), Uint8Array.from([...pattern(5), ...new Uint8Array(45)]));
  });

  it('an image of several chunks reads as given and is never written', () => {
    const image = pattern(2.5 * CHUNK);
    const copy = image.slice();
    const file = new FileBytes(new FileBudget(Infinity), image);
    assert.deepEqual(readAll(file), copy);
    file.write(new Uint8Array([255, 255]), 0, CHUNK - 1, 2);
    file.resize(CHUNK);
    assert.deepEqual(image, copy, 'the image is untouched');
    const expected = copy.slice(0, CHUNK);
    expected[CHUNK - 1] = 255;
    assert.deepEqual(readAll(file), expected);
  });
});

describe('kernel: the file budget', () => {
  it('refuses a write past it with ENOSPC before a byte changes, and takes back what is freed', () => {
    const budget = new FileBudget(2 * CHUNK);
    const a = new FileBytes(budget);
    a.write(pattern(CHUNK), 0, 0, CHUNK);
    const b = new FileBytes(budget);
    failsWith(Errno.NOSPC, () => b.write(pattern(CHUNK + 1), 0, 0, CHUNK + 1));
    assert.equal(b.size, 0);
    a.free();
    b.write(pattern(CHUNK + 1), 0, 0, CHUNK + 1);
    assert.equal(b.size, CHUNK + 1);
  });

  it('through the syscalls: ENOSPC for the write that would pass it; unlinking a closed file frees its bytes', () => {
    run({ fileBytes: 4096 }, (vm) => {
      const fd = vm.open('a', { oflags: OFlags.CREAT });
      assert.equal(vm.write(fd, 'x'.repeat(3000)), 3000);
      const g = vm.open('b', { oflags: OFlags.CREAT });
      const [buf, len] = vm.data('y'.repeat(3000));
      const out = vm.alloc(4);
      assert.equal(vm.call('fd_write', g, ...vm.iovecs([buf, len]), out), Errno.NOSPC);
      assert.equal(vm.pathStat('b').size, 0n, 'nothing was written');
      vm.ok('path_unlink_file', SANDBOX, ...vm.data('a'));
      assert.equal(vm.call('fd_write', g, ...vm.iovecs([buf, len]), out), Errno.NOSPC, 'a is unlinked but still open');
      vm.ok('fd_close', fd);
      vm.ok('fd_write', g, ...vm.iovecs([buf, len]), out);
      assert.equal(vm.pathStat('b').size, 3000n);
    });
  });
});
