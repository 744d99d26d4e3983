// The devices under /dev: /dev/null reads empty and swallows writes, and the stdio channels are
// reachable by name as well as by descriptor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Filetype, Right } from '../../src/kernel/abi.js';
import { run } from './kernel-harness.js';

const DEV = 4; // preopened after /sandbox
const rw = BigInt(Right.FD_READ | Right.FD_WRITE | Right.FD_FILESTAT_GET);

describe('kernel: /dev', () => {
  it('/dev/null reads nothing and swallows every write, counting nothing', () => {
    const vm = run({ preopens: ['/sandbox', '/dev'] }, (vm) => {
      const fd = vm.open('null', { dirfd: DEV, rights: rw });
      assert.equal(vm.read(fd), '');
      assert.equal(vm.write(fd, 'gone'), 4);
      assert.equal(vm.read(fd), '');
      assert.equal(vm.fdStat(fd).filetype, Filetype.CHARACTER_DEVICE);
    });
    assert.deepEqual(vm.stdout, []);
    for (const c of vm.kernel.channelReports()) assert.deepEqual([c.reads, c.writes], [0, 0]);
  });

  it('/dev/stdout opened by name writes to the stdout channel', () => {
    const vm = run({ preopens: ['/sandbox', '/dev'] }, (vm) => {
      vm.write(vm.open('stdout', { dirfd: DEV, rights: rw }), 'by name, ');
      vm.write(1, 'by fd');
    });
    assert.equal(Buffer.from(vm.stdout).toString(), 'by name, by fd');
    assert.equal(vm.kernel.channelReports()[1].writes, 2);
  });

  it('/dev/stdin opened by name shares the one input stream with fd 0', () => {
    run({ preopens: ['/sandbox', '/dev'], stdin: 'abcdef' }, (vm) => {
      const fd = vm.open('stdin', { dirfd: DEV, rights: rw });
      assert.equal(vm.read(0, 2), 'ab');
      assert.equal(vm.read(fd, 2), 'cd');
      assert.equal(vm.read(0), 'ef');
    });
  });
});
