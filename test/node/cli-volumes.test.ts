// The CLI's volumes end to end, through the built dist/cli.js: run --volume (commits, roll-backs,
// conflicts, read-only), run --image, and zerovm volume ls / history / export / import / restore.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const counter = join(root, 'test/hostile/counter.wasm');
const catfile = join(root, 'test/hostile/catfile.wasm');
const scratch = () => mkdtempSync(join(tmpdir(), 'zerovm-cli-volumes-'));

function zerovm(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `zerovm ARGS` that must succeed: its stdout. */
function ok(args: string[]): string {
  const r = zerovm(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const count = (dir: string, ...more: string[]) => zerovm(['run', '--volume', `c=${dir}:/data`, ...more, counter]);
const versions = (dir: string) => JSON.parse(ok(['volume', 'history', dir, '--json'])) as { version: number; etag: string }[];

/** A zerovm started in the background: `printed` once it has written to stdout (or ended), `done` when it has ended. */
function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b));
  child.stderr.on('data', (b: Buffer) => (stderr += b));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { printed: Promise.race([once(child.stdout, 'data'), done]), done };
}

/**
 * Holds volume `dir`'s lock (volume-dir.ts: a LOCK directory naming a live process) while `runs`
 * start: each takes its snapshot and runs its guest, then waits to commit until the lock goes.
 */
async function racing(dir: string, runs: string[][]) {
  mkdirSync(join(dir, 'LOCK'));
  writeFileSync(join(dir, 'LOCK', 'pid'), String(process.pid));
  const started = runs.map(start);
  await Promise.all(started.map((r) => r.printed)); // every guest has run on the same version
  rmSync(join(dir, 'LOCK'), { recursive: true });
  return Promise.all(started.map((r) => r.done));
}

describe('zerovm run --volume, and zerovm volume', { timeout: 120_000 }, () => {
  before(() => {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    assert.ok(existsSync(cli));
  });

  it('commits each run: three runs print 1, 2, 3; history lists 3 versions; restore 1 makes the next run print 2', () => {
    const dir = join(scratch(), 'c'); // made by the first run
    for (const expected of ['1\n', '2\n', '3\n']) {
      const r = count(dir);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, expected, '']);
    }
    const history = versions(dir);
    assert.deepEqual(history.map((v) => v.version), [1, 2, 3]);
    const table = ok(['volume', 'history', dir]).split('\n');
    assert.match(table[0], /^VERSION +WHEN +FILES +BYTES +ETAG$/);
    assert.match(table[1], new RegExp(`^ +1  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z +1 +2  ${history[0].etag}$`));
    assert.equal(ok(['volume', 'restore', dir, '1']), 'c: version 4\n');
    assert.equal(versions(dir)[3].etag, history[0].etag, 'version 4 holds version 1\'s files');
    assert.equal(count(dir).stdout, '2\n');
  });

  it('writes the volumes into --report', () => {
    const dir = join(scratch(), 'c');
    const report = join(scratch(), 'r.json');
    assert.equal(count(dir, '--report', report).code, 0);
    const { volumes } = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual([volumes.c.outcome, volumes.c.versionBefore, volumes.c.versionAfter, volumes.c.filesChanged], ['committed', 0, 1, 1]);
    assert.equal(volumes.c.etagAfter, versions(dir)[0].etag);
  });

  it('exports a tar (to stdout, -o FILE, --version N) that imports into another directory with the same etag', () => {
    const home = scratch();
    const dir = join(home, 'c');
    count(dir);
    count(dir);
    const piped = spawnSync(process.execPath, [cli, 'volume', 'export', dir], { cwd: root });
    assert.equal(piped.status, 0, piped.stderr.toString());
    const file = join(home, 'c.tar');
    assert.equal(ok(['volume', 'export', '-o', file, dir]), '');
    assert.deepEqual(readFileSync(file), piped.stdout);
    const old = join(home, 'v1.tar');
    ok(['volume', 'export', dir, '--version', '1', '--output', old]);
    assert.equal(spawnSync('tar', ['-xOf', old, 'count'], { encoding: 'utf8' }).stdout, '1\n');
    assert.equal(ok(['volume', 'import', join(home, 'copy'), file]), 'copy: version 1\n');
    assert.equal(ok(['volume', 'import', join(home, 'copy'), file]), 'copy: version 1 (unchanged: it held these files already)\n');
    const listed = JSON.parse(ok(['volume', 'ls', home, '--json']));
    assert.deepEqual(listed.map((v: { name: string; version: number }) => [v.name, v.version]), [['c', 2], ['copy', 1]]);
    assert.equal(listed[0].etag, listed[1].etag);
    const table = ok(['volume', 'ls', home]).split('\n');
    assert.match(table[0], /^NAME +VERSION +FILES +BYTES +ETAG$/);
    assert.match(table[2], new RegExp(`^copy +1 +1 +2  ${listed[1].etag}$`));
    assert.equal(zerovm(['run', '--volume', `copy=${join(home, 'copy')}::data`, counter]).stdout, '3\n');
  });

  it('a run whose volume another commit moved first commits nothing and says so on stderr, exiting as the guest did', async () => {
    const dir = join(scratch(), 'c');
    count(dir);
    const ended = await racing(dir, [['run', '--volume', `c=${dir}:/data`, counter], ['run', '--volume', `c=${dir}:/data`, counter]]);
    assert.deepEqual(ended.map((r) => [r.code, r.stdout]), [[0, '2\n'], [0, '2\n']]);
    const lost = ended.filter((r) => r.stderr !== '');
    assert.equal(lost.length, 1, JSON.stringify(ended));
    assert.equal(lost[0].stderr, 'zerovm: volume c not committed (a conflict): volume c is at version 2, not 1 as when the run began\n');
    assert.equal(versions(dir).length, 2);
  });

  it('--retry runs a conflicted guest again on the new version', async () => {
    const home = scratch();
    const dir = join(home, 'c');
    count(dir);
    const run = (report: string) => ['run', '--retry', '1', '--report', join(home, report), '--volume', `c=${dir}:/data`, counter];
    const ended = await racing(dir, [run('a.json'), run('b.json')]);
    assert.deepEqual(ended.map((r) => [r.code, r.stderr]), [[0, ''], [0, '']]);
    assert.deepEqual(ended.map((r) => r.stdout).sort(), ['2\n', '2\n3\n']); // the first try's output has passed through already
    const retries = ['a.json', 'b.json'].map((f) => JSON.parse(readFileSync(join(home, f), 'utf8')).volumes.c.retries ?? 0);
    assert.deepEqual(retries.sort(), [0, 1]);
    assert.equal(versions(dir).length, 3);
  });

  it('keeps changes by --commit: exit0 rolls back on another exit code and says why; always keeps them; never keeps nothing, silently', () => {
    const dir = join(scratch(), 'c');
    const failed = zerovm(['run', '--volume', `c=${dir}:/data`, counter, '/data/count', '3']);
    assert.deepEqual([failed.code, failed.stdout], [3, '1\n']);
    assert.equal(failed.stderr, 'zerovm: volume c rolled back: the guest exited 3 (commit: exit0 keeps changes on exit 0 only)\n');
    const never = count(dir, '--commit', 'never');
    assert.deepEqual([never.code, never.stdout, never.stderr], [0, '1\n', '']);
    assert.equal(versions(dir).length, 0);
    const always = zerovm(['run', '--commit=always', '--volume', `c=${dir}:/data`, counter, '/data/count', '3']);
    assert.deepEqual([always.code, always.stdout, always.stderr], [3, '1\n', '']);
    assert.equal(versions(dir).length, 1);
  });

  it('mounts a volume read-only with :ro: a change fails with EROFS, and nothing is committed', () => {
    const dir = join(scratch(), 'c');
    count(dir);
    const report = join(scratch(), 'r.json');
    const r = zerovm(['run', '--report', report, '--volume', `c=${dir}:/data:ro`, counter]);
    assert.equal(r.code, 2); // counter's exit when it cannot write
    assert.equal(r.stderr, '/data/count: Read-only file system\n');
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).volumes.c.outcome, 'read-only');
    assert.equal(ok(['run', '--volume', `c=${dir}::/data:ro`, catfile, '/data/count']), '1\n');
    assert.equal(versions(dir).length, 1);
  });

  it('mounts a tar image read-only with --image TAR:GUEST', () => {
    const home = scratch();
    mkdirSync(join(home, 'tree/etc'), { recursive: true });
    writeFileSync(join(home, 'tree/etc/motd'), 'from the image\n');
    const tar = spawnSync('tar', ['-cf', join(home, 'i.tar'), '-C', join(home, 'tree'), '.'], { encoding: 'utf8' });
    assert.equal(tar.status, 0, tar.stderr);
    assert.equal(ok(['run', '--image', `${home}/i.tar:/usr`, catfile, '/usr/etc/motd']), 'from the image\n');
    const write = zerovm(['run', '--image', 'i.tar::usr', counter, '/usr/etc/motd'], home);
    assert.deepEqual([write.code, write.stderr], [2, '/usr/etc/motd: Read-only file system\n']);
  });

  it('saves a volume in --save-manifest by name and rule, not where it is stored: --volume gives that again', () => {
    const home = scratch();
    const dir = join(home, 'c');
    const saved = join(home, 'm.json');
    const first = zerovm(['run', '--save-manifest', saved, '--volume', `c=${dir}:/data`, '--commit', 'always', counter, '/data/count', '5']);
    assert.deepEqual([first.code, first.stdout], [5, '1\n']);
    const manifest = JSON.parse(readFileSync(saved, 'utf8'));
    assert.deepEqual(manifest.mounts, [{ guest: '/data', volume: 'c', commit: 'always' }]);
    assert.ok(!readFileSync(saved, 'utf8').includes(dir));
    const where = zerovm(['run', '--manifest', saved]);
    assert.deepEqual([where.code, where.stderr], [2, `zerovm: --manifest ${saved}: it mounts volume c: say where it is stored with --volume c=HOSTDIR:/data\n`]);
    const again = zerovm(['run', '--manifest', saved, '--volume', `c=${dir}:/data`]);
    assert.deepEqual([again.code, again.stdout, again.stderr], [5, '2\n', '']); // commit: always, from the manifest
    assert.equal(versions(dir).length, 2);
  });

  it('names the argument at fault, before anything runs', () => {
    const home = scratch();
    writeFileSync(join(home, 'file'), 'not a volume\n');
    mkdirSync(join(home, 'other'));
    writeFileSync(join(home, 'other/notes.txt'), '');
    count(join(home, 'c'));
    const expect = (args: string[], stderr: string) => {
      const r = zerovm(args);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `zerovm: ${stderr}\n`], args.join(' '));
    };
    const run = (...flags: string[]) => ['run', ...flags, counter];
    expect(run('--volume', `c=${home}/no/c:/data`), `--volume c=${home}/no/c: no such directory ${home}/no`);
    expect(run('--volume', `c=${home}/file:/data`), `--volume c=${home}/file: not a directory`);
    expect(run('--volume', `c=${home}/other:/data`), `--volume c=${home}/other: not a volume's directory (it holds notes.txt)`);
    expect(run('--volume', `c=${home}/c`), `--volume takes NAME=HOSTDIR:GUEST or NAME=HOSTDIR::GUEST, with :ro after it for read-only, not "c=${home}/c" (see zerovm run --help)`);
    expect(run('--commit', 'always'), '--commit is a rule of --volume mounts, and there is none (see zerovm run --help)');
    expect(run('--image', `${home}/none.tar:/usr`), `--image ${home}/none.tar: no such file`);
    expect(['volume', 'ls', join(home, 'c')], `volume ls ${join(home, 'c')}: that is one volume's directory; ls takes the directory holding volumes (volume history ${join(home, 'c')} shows this one)`);
    expect(['volume', 'history', join(home, 'nope')], `volume history ${join(home, 'nope')}: no such directory`);
    expect(['volume', 'export', join(home, 'other')], `volume export ${join(home, 'other')}: not a volume's directory (it holds notes.txt)`);
    expect(['volume', 'export', join(home, 'c'), '--version', '7'], `--version 7: ${join(home, 'c')} has no version 7 (it has version 1 only)`);
    expect(['volume', 'restore', join(home, 'c'), '9'], `volume restore ${join(home, 'c')} 9: ${join(home, 'c')} has no version 9 (it has version 1 only)`);
    expect(['volume', 'import', join(home, 'd'), join(home, 'file')], `volume import ${join(home, 'file')}: not a tar archive: its length (13 bytes) is not a whole number of 512-byte blocks`);
    assert.ok(!existsSync(join(home, 'd')), 'no directory is made for an archive that is not one');
    expect(['volume', 'import', join(home, 'no/d'), join(home, 'none.tar')], `volume import ${join(home, 'none.tar')}: no such file`);
    expect(['volume', 'restore', join(home, 'c')], 'volume restore takes HOSTDIR and VERSION, not 1 argument (see zerovm volume --help)');
    expect(['volume', 'frob'], 'unknown volume command "frob" (see zerovm volume --help)');
  });

  it('prints zerovm volume --help to stdout, exit 0, however it is asked for', () => {
    for (const args of [['volume', '--help'], ['volume', 'help'], ['help', 'volume'], ['volume', 'export', '-h']]) {
      const r = zerovm(args);
      assert.deepEqual([r.code, r.stderr], [0, ''], args.join(' '));
      assert.match(r.stdout, /^usage: zerovm volume ls DIR \[--json\]\n/);
      for (const command of ['ls DIR', 'history HOSTDIR', 'export HOSTDIR', 'import HOSTDIR FILE.tar', 'restore HOSTDIR VERSION']) {
        assert.match(r.stdout, new RegExp(`^  ${command}\\s{2,}\\S+ \\S+`, 'm'), command);
      }
    }
  });
});
