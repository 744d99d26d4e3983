// The CLI end to end: the built dist/cli.js, a preopened host directory, exit codes, the report file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const program = (name: string) => join(root, 'public/programs', `${name}.wasm`);
const fixture = (name: string) => join(root, 'test/fixtures', `${name}.wasm`);

function zerovm(args: string[], input = '') {
  const r = spawnSync(process.execPath, [cli, 'run', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('zerovm run', () => {
  before(() => {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    assert.ok(existsSync(cli));
  });

  it('passes stdout through and exits with the guest code', () => {
    const r = zerovm([program('hello')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hello/i);
  });

  it('runs against a preopened host directory, and changes stay in the VM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerovm-cli-'));
    writeFileSync(join(dir, 'a.txt'), 'alpha\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/b.txt'), 'beta\n');
    const r = zerovm(['--dir', `${dir}:/sandbox`, program('cat'), '/sandbox/a.txt', '/sandbox/sub/b.txt']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'alpha\nbeta\n');
    const fs = zerovm(['--dir', `${dir}:/sandbox`, program('fsdemo'), '/sandbox']);
    assert.equal(fs.code, 0, fs.stderr);
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), 'alpha\n');
    assert.deepEqual(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean), ['a.txt', 'sub']);
  });

  it('mounts a host directory at / too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerovm-cli-'));
    writeFileSync(join(dir, 'root.txt'), 'at the root\n');
    const r = zerovm(['--dir', `${dir}:/`, program('cat'), '/root.txt']);
    assert.equal(r.stdout, 'at the root\n', r.stderr);
  });

  it('gives the guest piped stdin, --stdin FILE, and --env', () => {
    assert.equal(zerovm([program('cat')], 'piped\n').stdout, 'piped\n');
    const file = join(mkdtempSync(join(tmpdir(), 'zerovm-cli-')), 'in.txt');
    writeFileSync(file, 'from a file\n');
    assert.equal(zerovm(['--stdin', file, program('cat')]).stdout, 'from a file\n');
    assert.match(zerovm(['--env', 'GREETING=hi there', program('env')]).stdout, /GREETING=hi there/);
  });

  it('exits with the guest code, and 1 with the guest message for a missing file', () => {
    assert.equal(zerovm([program('exitcode'), '7']).code, 7);
    const r = zerovm([program('cat'), '/nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cat: \/nope/);
  });

  it('exits 124 on a timeout and 134 on a trap', () => {
    const t = zerovm(['--timeout', '300', fixture('spin')]);
    assert.equal(t.code, 124);
    assert.match(t.stderr, /timeout/);
    assert.equal(zerovm([fixture('trap')]).code, 134);
  });

  it('exits 126 for a program that is not WebAssembly, and 2 for bad usage', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zerovm-cli-')), 'bad.wasm');
    writeFileSync(file, 'not wasm');
    const r = zerovm([file]);
    assert.equal(r.code, 126);
    assert.match(r.stderr, /not valid WebAssembly/);
    assert.equal(zerovm(['--bogus', program('hello')]).code, 2);
    assert.match(zerovm([join(root, 'missing.wasm')]).stderr, /could not be fetched/);
  });

  it('writes the report with --report, and takes fields from --manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerovm-cli-'));
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: program('cat'), args: ['cat'], stdin: 'manifest stdin\n' }));
    const r = zerovm(['--manifest', join(dir, 'm.json'), '--report', join(dir, 'r.json')]);
    assert.equal(r.stdout, 'manifest stdin\n', r.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.status, 'ok');
    assert.equal(report.exitCode, 0);
    assert.equal(report.stdout, 'manifest stdin\n');
    const stdinChannel = report.channels.find((c: { path: string }) => c.path === '/dev/stdin');
    assert.equal(stdinChannel.readBytes, 15);
  });

  it('refuses a manifest file naming the field at fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerovm-cli-'));
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: program('hello'), limits: { timeout: 'soon' } }));
    const r = zerovm(['--manifest', join(dir, 'm.json')]);
    assert.equal(r.code, 126);
    assert.match(r.stderr, /manifest\.limits\.timeout/);
  });
});
