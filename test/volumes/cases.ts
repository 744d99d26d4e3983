// Persistent volumes, as a page (or Node) uses them: the same cases run in Node (a directory per
// volume) and in Chromium and Firefox (IndexedDB). Each case gets volume names of its own.
import type { Manifest, Report } from '../../src/index.js';

export interface VolumeHost {
  run(manifest: Manifest): Promise<Report>;
}

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
];
