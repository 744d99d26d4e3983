// Persistent volumes, as a page (or Node) uses them: the same cases run in Node (a directory per
// volume) and in Chromium and Firefox (IndexedDB). Each case gets volume names of its own.
import { packEntries } from '../../src/contract/tar.js';
import type { Volumes } from '../../src/host/volumes/api.js';
import type { Manifest, Report } from '../../src/index.js';

export interface VolumeHost {
  run(manifest: Manifest): Promise<Report>;
  readonly volumes: Volumes;
}

const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

export interface VolumeCase {
  name: string;
  run(vm: VolumeHost, locate: (name: string) => string, volume: (name: string) => string): Promise<void>;
}

function check(condition: unknown, what: string, report?: Report): asserts condition {
  if (!condition) {
    const detail = report ? `\nreport: ${JSON.stringify({ ...report, inputs: undefined })}` : '';
    throw new Error(`${what}${detail}`);
  }
}

export const volumeCases: VolumeCase[] = [
  {
    name: 'a volume keeps what a run wrote: the next run reads it, and every commit is a version',
    async run(vm, locate, volume) {
      const name = volume('counter');
      const counter = (): Manifest => ({ program: locate('counter'), mounts: [{ guest: '/data', volume: name }] });
      for (let i = 1; i <= 3; i++) {
        const r = await vm.run(counter());
        check(r.status === 'ok' && r.stdout === `${i}\n`, `run ${i} read the count the run before left`, r);
        const v = r.volumes?.[name];
        check(v?.outcome === 'committed' && v.versionBefore === i - 1 && v.versionAfter === i, `run ${i} committed version ${i}`, r);
        check(v.filesChanged === 1 && v.bytesWritten === String(i).length + 1, `run ${i}: one file, its new bytes`, r);
        check(v.etagBefore !== v.etagAfter, 'the etag follows the contents', r);
      }
      const unchanged = await vm.run({
        program: locate('readall'),
        args: ['readall', 'nothing'],
        channels: [{ path: '/dev/in/nothing', source: { bytes: '' } }],
        mounts: [{ guest: '/data', volume: name }],
      });
      const v = unchanged.volumes?.[name];
      check(v?.outcome === 'committed' && v.versionAfter === 3 && v.filesChanged === 0 && v.etagAfter === v.etagBefore, 'a run that changes nothing makes no version', unchanged);
    },
  },
  {
    name: 'commit rules: exit0 keeps only a 0 exit, always keeps any exit, never keeps nothing; a trap or timeout keeps nothing',
    async run(vm, locate, volume) {
      const name = volume('rules');
      const run = (args: string[], commit?: 'exit0' | 'always' | 'never', timeout?: number) =>
        vm.run({ program: locate('counter'), args: ['counter', '/data/count', ...args], mounts: [{ guest: '/data', volume: name, commit }], limits: timeout ? { timeout } : undefined });
      const failed = await run(['3']);
      check(failed.exitCode === 3 && failed.volumes?.[name]?.outcome === 'rolled-back', 'exit 3 under exit0: rolled back', failed);
      check(failed.volumes[name].message?.includes('exited 3'), 'says why', failed);
      const always = await run(['3'], 'always');
      check(always.stdout === '1\n' && always.volumes?.[name]?.outcome === 'committed', 'exit 3 under always: committed (the count was still 0)', always);
      const never = await run([], 'never');
      check(never.stdout === '2\n' && never.volumes?.[name]?.outcome === 'rolled-back', 'never: rolled back', never);
      const spun = await run(['spin'], 'always', 300);
      check(spun.status === 'timeout' && spun.volumes?.[name]?.outcome === 'rolled-back', 'a timeout keeps nothing, whatever the rule', spun);
      const after = await run([]);
      check(after.stdout === '2\n', 'only the always run was kept', after);
    },
  },
  {
    name: 'a read-only volume: the guest reads it, cannot change it (EROFS), and its report says read-only',
    async run(vm, locate, volume) {
      const name = volume('ro');
      await vm.run({ program: locate('counter'), mounts: [{ guest: '/data', volume: name }] });
      const r = await vm.run({ program: locate('counter'), mounts: [{ guest: '/data', volume: name, readonly: true }] });
      check(r.exitCode === 2 && /Read-only file system/.test(r.stderr), 'the write failed with EROFS', r);
      check(r.volumes?.[name]?.outcome === 'read-only' && r.volumes[name].versionAfter === 1, 'read-only, unchanged', r);
    },
  },
  {
    name: 'two runs on one snapshot: the later commit is a conflict, reported, and its changes are not applied',
    async run(vm, locate, volume) {
      const name = volume('race');
      const m: Manifest = { program: locate('counter'), mounts: [{ guest: '/data', volume: name }] };
      const [a, b] = await Promise.all([vm.run(m), vm.run(m)]);
      const outcomes = [a, b].map((r) => r.volumes?.[name]?.outcome).sort();
      check(outcomes.join() === 'committed,conflict', `one commits, one conflicts (${outcomes.join()})`, a);
      const loser = a.volumes?.[name]?.outcome === 'conflict' ? a : b;
      check(loser.volumes![name].message?.includes('not 0 as when the run began'), 'the conflict says why', loser);
      const next = await vm.run(m);
      check(next.stdout === '2\n', 'the conflicting increment was not applied (and not lost silently: it was reported)', next);
    },
  },
  {
    name: 'two VMs each incrementing a counter 100 times with retry: exactly 200',
    async run(vm, locate, volume) {
      const name = volume('retry');
      const m: Manifest = { program: locate('counter'), mounts: [{ guest: '/data', volume: name, retry: 50 }] };
      let conflicts = 0;
      const worker = async () => {
        for (let i = 0; i < 100; i++) {
          const r = await vm.run(m);
          const v = r.volumes?.[name];
          check(r.status === 'ok' && v?.outcome === 'committed', `increment ${i} committed`, r);
          conflicts += v.retries ?? 0;
        }
      };
      await Promise.all([worker(), worker()]);
      const last = await vm.run(m);
      check(last.stdout === '201\n', `every increment landed: the count is 200 before this one (${last.stdout.trim()}); ${conflicts} retries`, last);
    },
  },
  {
    name: "a volume's byte quota: EDQUOT past limits.volumeBytes, and the VM goes on",
    async run(vm, locate, volume) {
      const name = volume('quota');
      const r = await vm.run({ program: locate('filebomb'), mounts: [{ guest: '/sandbox', volume: name }], limits: { volumeBytes: 3 << 20 } });
      check(/write failed after 3 MiB: Quota exceeded/.test(r.stdout), 'the write past 3 MiB failed with EDQUOT', r);
      check(r.status === 'ok' && r.exitCode === 2 && r.volumes?.[name]?.outcome === 'rolled-back', 'the guest decided (exit 2): nothing kept', r);
    },
  },
  {
    name: 'equal contents give equal etags, whatever volume or version holds them',
    async run(vm, locate, volume) {
      const [x, y] = [volume('same-x'), volume('same-y')];
      const one = await vm.run({ program: locate('counter'), mounts: [{ guest: '/data', volume: x }] });
      const two = await vm.run({ program: locate('counter'), mounts: [{ guest: '/data', volume: y }] });
      check(one.volumes?.[x]?.etagAfter === two.volumes?.[y]?.etagAfter, 'the same file in two volumes, the same etag', two);
    },
  },
  {
    name: 'the volumes API: write, read, list, history, restore, export and import, delete',
    async run(vm, locate, volume) {
      const [name, copy] = [volume('api'), volume('api-copy')];
      const w = await vm.volumes.write(name, 'notes/a.txt', 'first\n');
      check(w.outcome === 'committed' && w.versionAfter === 1, 'write is a commit');
      const cat = await vm.run({ program: locate('catfile'), args: ['catfile', '/data/notes/a.txt'], mounts: [{ guest: '/data', volume: name }] });
      check(cat.stdout === 'first\n', 'a run reads what write() wrote', cat);
      await vm.volumes.write(name, 'notes/a.txt', 'second\n');
      check(text(await vm.volumes.read(name, 'notes/a.txt')) === 'second\n', 'read() gives the head');
      check(text(await vm.volumes.read(name, '/notes/a.txt', 1)) === 'first\n', 'or an old version');
      check((await vm.volumes.history(name)).map((v) => v.version).join() === '1,2', 'history lists every version');
      check(JSON.stringify(await vm.volumes.files(name, 1)) === JSON.stringify([{ path: 'notes', type: 'dir' }, { path: 'notes/a.txt', type: 'file', size: 6 }]), 'files() lists a version');
      const restored = await vm.volumes.restore(name, 1);
      check(restored.versionAfter === 3 && restored.etagAfter === w.etagAfter, 'restore is a new version with the old contents');
      const tar = await vm.volumes.export(name);
      const imported = await vm.volumes.import(copy, tar);
      check(imported.etagAfter === restored.etagAfter, 'export then import gives the same contents, the same etag');
      const names = (await vm.volumes.list()).map((v) => v.name);
      check(names.includes(name) && names.includes(copy), `list() has both (${names.join()})`);
      await vm.volumes.delete(copy);
      check(!(await vm.volumes.list()).some((v) => v.name === copy), 'delete() forgets it');
    },
  },
  {
    name: 'a tar image mounted read-only: files and symlinks readable, nothing writable',
    async run(vm, locate) {
      const image = await packEntries([
        { path: 'include', type: 'dir' },
        { path: 'include/zero.h', type: 'file', data: new TextEncoder().encode('#define ZERO 0\n') },
        { path: 'zero.h', type: 'symlink', target: 'include/zero.h' },
      ]);
      for (let i = 0; i < 2; i++) {
        const r = await vm.run({ program: locate('catfile'), args: ['catfile', '/usr/include/zero.h', '/usr/zero.h'], mounts: [{ guest: '/usr', image }] });
        check(r.stdout === '#define ZERO 0\n#define ZERO 0\n', `run ${i}: the file, and through the symlink`, r);
      }
      const write = await vm.run({ program: locate('counter'), args: ['counter', '/usr/count'], mounts: [{ guest: '/usr', image }] });
      check(write.exitCode === 2 && /Read-only file system/.test(write.stderr), 'a write is EROFS', write);
      const bad = await vm.run({ program: locate('counter'), mounts: [{ guest: '/usr', image: new Uint8Array([1, 2, 3]) }] });
      check(bad.status === 'invalid' && bad.message.startsWith('manifest.mounts.0.image: not a tar archive'), 'bytes that are no tar refuse the run, naming the mount', bad);
    },
  },
  {
    name: "a big volume's files come when first opened: a run brings in the small files and what it opens, reads them whole, and commits right",
    async run(vm, locate, volume) {
      const name = volume('lazy');
      const fill = (c: string, n: number) => new TextEncoder().encode(c.repeat(n));
      const sizes = { small: 6, a: 200 * 1024, b: 2 * 1024 * 1024 + 512 * 1024, count: 100_003 };
      await vm.volumes.import(name, await packEntries([
        { path: 'notes', type: 'dir' },
        { path: 'notes/small.txt', type: 'file', data: fill('s', sizes.small) },
        { path: 'big', type: 'dir' },
        { path: 'big/a.txt', type: 'file', data: fill('a', sizes.a) },
        { path: 'big/b.txt', type: 'file', data: fill('b', sizes.b) },
        { path: 'big/count', type: 'file', data: new TextEncoder().encode(`41\n${' '.repeat(sizes.count - 3)}`) },
        { path: 'empty', type: 'file', data: new Uint8Array(0) },
      ]));
      const mounts = [{ guest: '/data', volume: name }];
      const one = await vm.run({ program: locate('catfile'), args: ['catfile', '/data/big/a.txt', '/data/notes/small.txt', '/data/empty'], mounts });
      check(one.status === 'ok' && one.stdout === 'a'.repeat(sizes.a) + 's'.repeat(sizes.small), 'the files it opened, whole', { ...one, stdout: `${one.stdout.length} chars` });
      const v = one.volumes?.[name];
      check(v?.bytesLoaded === sizes.small + sizes.a, `brought in: the small file sent with the run, the one big file it opened (${v?.bytesLoaded})`, { ...one, stdout: '' });
      const two = await vm.run({ program: locate('catfile'), args: ['catfile', '/data/big/b.txt'], mounts, limits: { output: 4 << 20 } });
      check(two.stdout.length === sizes.b && /^b+$/.test(two.stdout), 'a file of three chunks, whole', { ...two, stdout: `${two.stdout.length} chars` });
      const three = await vm.run({ program: locate('counter'), args: ['counter', '/data/big/count'], mounts });
      check(three.stdout === '42\n' && three.volumes?.[name]?.outcome === 'committed' && three.volumes[name].filesChanged === 1, 'a big file read and rewritten commits', three);
      check(text(await vm.volumes.read(name, 'big/count')) === '42\n', 'its new bytes');
      check((await vm.volumes.read(name, 'big/b.txt'))?.length === sizes.b, 'the files it never opened kept theirs');
    },
  },
];
