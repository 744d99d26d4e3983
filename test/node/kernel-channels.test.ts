// Channels (stdin, stdout, stderr) as ZeroVM accounted them: every call and byte counted, quotas
// that refuse the call past them with EDQUOT while the VM runs on, and etags — a hash of every
// byte through the channel, in order, whatever the cut of the calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelSpec } from '../../src/contract/manifest.js';
import { Errno } from '../../src/kernel/abi.js';
import type { Hasher } from '../../src/kernel/config.js';
import { PAGE, run, Vm, type VmOptions } from './kernel-harness.js';

/** A test hasher whose digest is every byte fed, in hex: equal bytes, equal etags, and the bytes show. */
function recordingHasher(): Hasher {
  let hex = '';
  return {
    update: (bytes) => void (hex += Buffer.from(bytes).toString('hex')),
    digest: () => hex,
  };
}

const hex = (text: string) => Buffer.from(text).toString('hex');

function writeErrno(vm: Vm, fd: number, text: string): Errno {
  return vm.call('fd_write', fd, ...vm.iovecs(vm.data(text)), vm.alloc(4));
}

function readErrno(vm: Vm, fd: number, len: number): Errno {
  return vm.call('fd_read', fd, ...vm.iovecs([vm.alloc(len), len]), vm.alloc(4));
}

const stdout = (limits: ChannelSpec['limits'], etag?: boolean): ChannelSpec[] => [{ path: '/dev/stdout', limits, etag }];

describe('kernel: channel accounting', () => {
  it('counts calls and bytes per channel, in the order stdin, stdout, stderr', () => {
    const vm = run({ stdin: 'abcdef' }, (vm) => {
      vm.read(0, 4);
      vm.read(0, 4);
      vm.read(0, 4);
      vm.write(1, 'hello');
      vm.write(2, 'oops');
      vm.write(2, '');
    });
    assert.deepEqual(vm.kernel.channelReports(), [
      { path: '/dev/stdin', reads: 3, readBytes: 6, writes: 0, writeBytes: 0, quotaHit: false, truncated: false },
      { path: '/dev/stdout', reads: 0, readBytes: 0, writes: 1, writeBytes: 5, quotaHit: false, truncated: false },
      { path: '/dev/stderr', reads: 0, readBytes: 0, writes: 2, writeBytes: 4, quotaHit: false, truncated: false },
    ]);
    assert.equal(Buffer.from(vm.stdout).toString(), 'hello');
    assert.equal(Buffer.from(vm.stderr).toString(), 'oops');
  });
});

describe('kernel: channel quotas', () => {
  it('writes: the call past the quota is EDQUOT and writes nothing; other channels go on', () => {
    const vm = run({ channels: stdout({ writes: 2 }) }, (vm) => {
      vm.write(1, 'a');
      vm.write(1, 'b');
      assert.equal(writeErrno(vm, 1, 'c'), Errno.DQUOT);
      assert.equal(writeErrno(vm, 1, 'd'), Errno.DQUOT);
      vm.write(2, 'stderr still works');
    });
    assert.equal(Buffer.from(vm.stdout).toString(), 'ab');
    const [, out, err] = vm.kernel.channelReports();
    assert.deepEqual([out.writes, out.writeBytes, out.quotaHit], [2, 2, true]);
    assert.equal(err.quotaHit, false);
  });

  it('writeBytes: a write larger than what remains is cut to it; past it, EDQUOT, but an empty write still works', () => {
    const vm = run({ channels: stdout({ writeBytes: 10 }) }, (vm) => {
      assert.equal(vm.write(1, '123456'), 6);
      assert.equal(vm.write(1, 'abcdef'), 4);
      assert.equal(writeErrno(vm, 1, 'x'), Errno.DQUOT);
      assert.equal(vm.write(1, ''), 0);
    });
    assert.equal(Buffer.from(vm.stdout).toString(), '123456abcd');
    const out = vm.kernel.channelReports()[1];
    assert.deepEqual([out.writes, out.writeBytes, out.quotaHit], [3, 10, true]);
  });

  it('writeBytes: the cut falls inside a gathered write, across iovecs', () => {
    const vm = run({ channels: stdout({ writeBytes: 5 }) }, (vm) => {
      const out = vm.alloc(4);
      vm.ok('fd_write', 1, ...vm.iovecs(vm.data('abc'), vm.data('def'), vm.data('ghi')), out);
      assert.equal(vm.u32(out), 5);
    });
    assert.equal(Buffer.from(vm.stdout).toString(), 'abcde');
  });

  it('a quota that is not hit leaves quotaHit false', () => {
    const vm = run({ channels: stdout({ writes: 1, writeBytes: 3 }) }, (vm) => vm.write(1, 'abc'));
    assert.equal(vm.kernel.channelReports()[1].quotaHit, false);
  });

  it('reads and readBytes: a read is cut to what remains, the call past the quota is EDQUOT and consumes nothing', () => {
    const options: VmOptions = { stdin: 'abcdefghij', channels: [{ path: '/dev/stdin', limits: { reads: 3, readBytes: 6 } }] };
    const vm = run(options, (vm) => {
      assert.equal(vm.read(0, 4), 'abcd');
      assert.equal(vm.read(0, 4), 'ef');
      assert.equal(readErrno(vm, 0, 4), Errno.DQUOT);
      assert.equal(vm.read(0, 0), '', 'an empty read is within the byte quota');
      assert.equal(readErrno(vm, 0, 0), Errno.DQUOT, 'but not within the call quota');
      vm.write(1, 'stdout still works');
    });
    const [stdin, out] = vm.kernel.channelReports();
    assert.deepEqual([stdin.reads, stdin.readBytes, stdin.quotaHit], [3, 6, true]);
    assert.equal(out.quotaHit, false);
  });

  it('a quota refusal is not counted as a call', () => {
    const vm = run({ channels: stdout({ writeBytes: 1 }) }, (vm) => {
      vm.write(1, 'a');
      for (let i = 0; i < 5; i++) assert.equal(writeErrno(vm, 1, 'b'), Errno.DQUOT);
    });
    assert.equal(vm.kernel.channelReports()[1].writes, 1);
  });
});

describe('kernel: channel etags', () => {
  /** stdout's etag after writing `pieces`, each in its own fd_write. */
  function etag(pieces: (string | Uint8Array)[], options: VmOptions = {}): string | undefined {
    const vm = run({ hasher: recordingHasher, ...options }, (vm) => {
      for (const p of pieces) {
        const out = vm.alloc(4);
        vm.ok('fd_write', 1, ...vm.iovecs(vm.data(p)), out);
      }
    });
    return vm.kernel.channelReports()[1].etag;
  }

  it('hashes exactly the bytes written, in order', () => {
    assert.equal(etag(['hello ', 'world']), hex('hello world'));
  });

  it('is equal for equal bytes however they were cut, and differs for other bytes', () => {
    assert.equal(etag(['abc', 'def']), etag(['a', 'bcde', 'f']));
    assert.equal(etag(['abc', 'def']), etag(['abcdef']));
    assert.notEqual(etag(['abc', 'def']), etag(['abd', 'def']));
    assert.notEqual(etag(['abc', 'def']), etag(['def', 'abc']));
  });

  it('stays in order when staged small writes meet a write too large to stage', () => {
    // A write larger than the channel's hash stage is hashed directly: the staged bytes before it
    // must go first. The memory grows for it, which the kernel must notice on the next call.
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const vm = new Vm({ hasher: recordingHasher });
    vm.run(() => {
      vm.memory.grow(1);
      vm.u8.set(big, PAGE / 4);
      vm.write(1, 'head');
      vm.ok('fd_write', 1, ...vm.iovecs([PAGE / 4, big.length]), vm.alloc(4));
      vm.write(1, 'tail');
    });
    const all = Buffer.concat([Buffer.from('head'), big, Buffer.from('tail')]);
    assert.deepEqual(Buffer.from(vm.stdout), all);
    assert.equal(vm.kernel.channelReports()[1].etag, all.toString('hex'));
  });

  it('hashes what a quota let through, not what was asked', () => {
    assert.equal(etag(['abcdef'], { channels: stdout({ writeBytes: 3 }) }), hex('abc'));
  });

  it('hashes stdin as it is read', () => {
    const vm = run({ stdin: 'input bytes', hasher: recordingHasher }, (vm) => {
      vm.read(0, 5);
      vm.read(0, 100);
    });
    const [stdin, out, err] = vm.kernel.channelReports();
    assert.equal(stdin.etag, hex('input bytes'));
    assert.equal(out.etag, '', 'nothing written: the hash of nothing');
    assert.equal(err.etag, '');
  });

  it('is absent with etag: false, and without a hasher', () => {
    assert.equal(etag(['x'], { channels: stdout(undefined, false) }), undefined);
    const vm = run({}, (vm) => vm.write(1, 'x'));
    assert.equal(vm.kernel.channelReports()[1].etag, undefined);
    assert.equal('etag' in vm.kernel.channelReports()[1], false);
  });
});
