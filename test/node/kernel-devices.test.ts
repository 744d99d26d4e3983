// The devices under /dev: /dev/null reads empty and swallows writes, and the stdio channels are
// reachable by name as well as by descriptor — by path too, whatever is mounted.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { buildFsImage } from '../../src/host/fs-image.js';
import { Errno, Filetype, Right } from '../../src/kernel/abi.js';
import { run, type Vm } from './kernel-harness.js';

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

/** The preopen wasi-libc would open `path` through (the longest name above it), and the rest of the path. */
function throughPreopen(vm: Vm, path: string): [number, string] | null {
  let best: [number, string] | null = null;
  for (let fd = 3; ; fd++) {
    const prestat = vm.alloc(8);
    if (vm.call('fd_prestat_get', fd, prestat) === Errno.BADF) return best;
    const len = vm.u32(prestat + 4);
    const name = vm.alloc(len);
    vm.ok('fd_prestat_dir_name', fd, name, len);
    const dir = vm.text(name, len);
    const prefix = dir === '/' ? '/' : `${dir}/`;
    if (path.startsWith(prefix) && (best === null || dir.length >= best[1].length)) best = [fd, dir];
  }
}

describe('kernel: /dev by path, whatever is mounted', () => {
  it('buildFsImage preopens /dev last when / is not preopened', () => {
    assert.deepEqual(buildFsImage({ '/data/x': 'x' }, ['/data']).preopens, ['/data', '/dev']);
    assert.deepEqual(buildFsImage({}, ['/a', '/b']).preopens, ['/a', '/b', '/dev'], 'mounts keep fds 3, 4');
    assert.deepEqual(buildFsImage({ '/etc/x': 'x' }, ['/data']).preopens, ['/data', '/'], '/ holds /dev already');
    assert.deepEqual(buildFsImage({}).preopens, ['/']);
    assert.deepEqual(buildFsImage({}, ['/dev']).preopens, ['/dev']);
    assert.deepEqual(buildFsImage({}, ['/dev/in']).preopens, ['/dev/in', '/dev'], 'a mount inside /dev does not hold /dev/stdout');
  });

  it('a kernel built from a /data-only image opens /dev/stdout by path, as wasi-libc would', () => {
    const image = buildFsImage({ '/data/in.txt': 'mounted' }, ['/data']);
    const vm = run({ fs: image.entries, preopens: image.preopens }, (vm) => {
      const [dirfd, dir] = throughPreopen(vm, '/dev/stdout') ?? assert.fail('no preopen above /dev/stdout');
      assert.deepEqual([dirfd, dir], [4, '/dev'], 'after the mount, which keeps fd 3');
      vm.write(vm.open('stdout', { dirfd, rights: rw }), 'via path\n');
      assert.equal(vm.read(vm.open('in.txt', { dirfd: 3 })), 'mounted');
    });
    assert.equal(Buffer.from(vm.stdout).toString(), 'via path\n');
  });

  describe('end to end: a C program run by the Node host with only /data mounted', () => {
    const host = new NodeZeroVM({ pool: 1 });
    after(() => host.dispose());
    const program = fileURLToPath(new URL('../hostile/devpaths.wasm', import.meta.url));

    it('writes to /dev/stdout and /dev/stderr opened by path', async () => {
      const r = await host.run({ program, mounts: [{ guest: '/data' }], files: { '/data/in.txt': 'yes\n' } });
      assert.equal(r.status, 'ok', r.message);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, 'mounted: yes\nvia path\n');
      assert.equal(r.stderr, 'err via path\n');
    });
  });
});
