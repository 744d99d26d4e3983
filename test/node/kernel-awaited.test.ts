// Volume files whose bytes stay with the host until the guest first opens them: the kernel knows
// their size and place from the start, asks its loader on the first open (waiting when the bytes
// have not come: the open is made again), never asks again, never asks for a file only listed,
// renamed or truncated on open, and a file left unread goes back to its commit by origin alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AwaitedFile } from '../../src/contract/fs-image.js';
import { Errno, OFlags } from '../../src/kernel/abi.js';
import { WOULD_BLOCK, type Waiter } from '../../src/kernel/blocking.js';
import type { FileLoader } from '../../src/kernel/config.js';
import { fail } from '../../src/kernel/errors.js';
import { dir, SANDBOX, Vm } from './kernel-harness.js';

const utf8 = new TextEncoder();
const awaited = (path: string, origin: number, size: number): AwaitedFile => ({ path, type: 'file', size, origin, volume: 0 });

/** A host that answers each request after one wait: the first ask is WOULD_BLOCK, the wait brings the bytes. */
function slowHost(files: Record<number, string>) {
  const asked: number[] = [];
  let pending: number | null = null;
  let arrived: number | null = null;
  const loader: FileLoader = {
    load(volume, origin, size) {
      assert.equal(volume, 0);
      if (arrived === origin) {
        arrived = null;
        const bytes = utf8.encode(files[origin]);
        assert.equal(bytes.length, size);
        return bytes;
      }
      if (pending !== origin) asked.push(origin);
      pending = origin;
      return WOULD_BLOCK;
    },
  };
  let waits = 0;
  const waiter: Waiter = {
    canWait: true,
    stale: false,
    mark: () => waits,
    wait() {
      waits++;
      arrived = pending;
      pending = null;
    },
  };
  return { loader, waiter, asked, waits: () => waits };
}

describe('kernel: volume files that come on first open', () => {
  const files = { 1: 'alpha', 2: 'bravo!', 3: 'charlie' };
  const image = () => [dir('/sandbox/vol'), awaited('/sandbox/vol/a', 1, 5), awaited('/sandbox/vol/b', 2, 6), awaited('/sandbox/vol/c', 3, 7)];

  it('their size and listing are known at once; the bytes are asked for on the first open, once', () => {
    const host = slowHost(files);
    const vm = new Vm({ fs: image(), loader: host.loader, waiter: host.waiter });
    vm.run(() => {
      assert.equal(vm.pathStat('vol/b').size, 6n, 'stat needs no bytes');
      assert.deepEqual(host.asked, []);
      const fd = vm.open('vol/b');
      assert.deepEqual(host.asked, [2], 'asked on open');
      assert.equal(host.waits(), 1, 'and waited for them');
      assert.equal(vm.read(fd), 'bravo!');
      assert.equal(vm.read(vm.open('vol/b')), 'bravo!', 'a second open asks nothing');
      assert.deepEqual(host.asked, [2]);
    });
  });

  it('renamed, truncated on open or left alone, a file is never asked for; its commit names its origin, or its new bytes', () => {
    const host = slowHost(files);
    const vm = new Vm({ fs: image(), loader: host.loader, waiter: host.waiter });
    vm.run(() => {
      vm.ok('path_rename', SANDBOX, ...vm.data('vol/a'), SANDBOX, ...vm.data('vol/a2'));
      const fd = vm.open('vol/c', { oflags: OFlags.TRUNC });
      vm.write(fd, 'new');
      assert.equal(vm.read(vm.open('vol/a2')), 'alpha', 'a renamed file still comes');
    });
    assert.deepEqual(host.asked, [1], 'only the file read was asked for');
    assert.deepEqual(vm.kernel.collect('/sandbox/vol'), [
      { path: 'b', type: 'file', origin: 2 },
      { path: 'c', type: 'file', data: utf8.encode('new') },
      { path: 'a2', type: 'file', origin: 1 },
    ]);
  });

  it('a file whose bytes cannot be had fails its open (EIO) and nothing else', () => {
    const loader: FileLoader = { load: (_v, origin) => (origin === 1 ? fail(Errno.IO) : utf8.encode(files[origin as 2])) };
    const host = slowHost(files);
    const vm = new Vm({ fs: image(), loader, waiter: host.waiter });
    vm.run(() => {
      assert.equal(vm.openErrno('vol/a'), Errno.IO);
      assert.equal(vm.read(vm.open('vol/b')), 'bravo!');
    });
  });

  it('a kernel given such files without a loader refuses to load', () => {
    assert.throws(() => new Vm({ fs: image() }), /need a loader and a way to wait/);
  });
});
