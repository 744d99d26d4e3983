// The CLI end to end: the built dist/cli.js, a preopened host directory, exit codes, the report file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const program = (name: string) => join(root, 'public/programs', `${name}.wasm`);
const fixture = (name: string) => join(root, 'test/fixtures', `${name}.wasm`);
const hostile = (name: string) => join(root, 'test/hostile', `${name}.wasm`);
const scratch = () => mkdtempSync(join(tmpdir(), 'zerovm-cli-'));

/** `zerovm ARGS...` through the built CLI, with piped stdio. */
function command(args: string[], { input = '', cwd = root } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function zerovm(args: string[], input = '', cwd = root) {
  return command(['run', ...args], { input, cwd });
}

// Node has no pty: python3's runs the CLI with a terminal as its stdin, stdout and stderr.
const UNDER_PTY = `
import json, os, select, subprocess, sys, time
master, slave = os.openpty()
child = subprocess.Popen(sys.argv[2:], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
output, deadline, timed_out = b'', time.time() + float(sys.argv[1]), False
while True:
    ready, _, _ = select.select([master], [], [], max(0, deadline - time.time()))
    if not ready:
        timed_out = True
        child.kill()
        break
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the terminal's other end is closed, the child is gone
        break
    if not chunk:
        break
    output += chunk
print(json.dumps({'code': child.wait(), 'timedOut': timed_out, 'output': output.decode('utf-8', 'replace')}))
`;

function underPty(args: string[], seconds = 20): { code: number; timedOut: boolean; output: string } {
  const r = spawnSync('python3', ['-c', UNDER_PTY, String(seconds), process.execPath, cli, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
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
    const dir = scratch();
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
    const dir = scratch();
    writeFileSync(join(dir, 'root.txt'), 'at the root\n');
    const r = zerovm(['--dir', `${dir}:/`, program('cat'), '/root.txt']);
    assert.equal(r.stdout, 'at the root\n', r.stderr);
  });

  it('gives the guest piped stdin, --stdin FILE, and --env', () => {
    assert.equal(zerovm([program('cat')], 'piped\n').stdout, 'piped\n');
    const file = join(scratch(), 'in.txt');
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
    const file = join(scratch(), 'bad.wasm');
    writeFileSync(file, 'not wasm');
    const r = zerovm([file]);
    assert.equal(r.code, 126);
    assert.match(r.stderr, /not valid WebAssembly/);
    assert.equal(zerovm(['--bogus', program('hello')]).code, 2);
    assert.match(zerovm([join(root, 'missing.wasm')]).stderr, /could not be fetched/);
  });

  it('writes the report with --report, and takes fields from --manifest', () => {
    const dir = scratch();
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
    const dir = scratch();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: program('hello'), limits: { timeout: 'soon' } }));
    const r = zerovm(['--manifest', join(dir, 'm.json')]);
    assert.equal(r.code, 126);
    assert.match(r.stderr, /manifest\.limits\.timeout/);
  });

  it('gives --help after PROGRAM to the guest', () => {
    const r = zerovm([program('cat'), '--help']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^cat: --help/);
    assert.doesNotMatch(r.stdout + r.stderr, /usage:/);
  });

  it('prints a help that describes every flag to stdout, exit 0, however it is asked for', () => {
    for (const args of [['--help'], ['-h'], ['help'], ['run', '--help'], ['run', '-h', program('hello')], ['replay', '--help']]) {
      const r = command(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^usage: zerovm run \[OPTIONS\] PROGRAM\.wasm \[ARGS\.\.\.\]\n/);
    }
    const help = command(['--help']).stdout;
    assert.match(help, /^ {7}zerovm replay \[--report FILE\] MANIFEST\.json REPORT\.json\n/m);
    assert.match(help, /^ {7}zerovm volume ls \| history \| export \| import \| restore \.\.\. {2}\(see zerovm volume --help\)\n/m);
    assert.match(help, /Options come before PROGRAM\. Everything after PROGRAM \(or after --\) is the guest's argv,\s+--help included/);
    const flags = [
      '--dir', '--volume', '--commit', '--retry', '--image', '--env', '--stdin', '--in', '--out', '--memory', '--timeout', '--seed', '--epoch',
      '--realtime', '--manifest', '--report', '--save-manifest', '--help', '--version',
    ];
    for (const flag of flags) assert.match(help, new RegExp(`^  (-\\w, )?${flag}\\b[^\\n]*\\s{2,}\\S+ \\S+`, 'm'), flag);
  });

  it('says what is wrong with bad usage on one line, naming the flag, with a hint; exit 2', () => {
    const unknown = zerovm(['--foo', program('hello')]);
    assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [2, '', 'zerovm: unknown option --foo (see zerovm run --help)\n']);
    const value = zerovm(['--timeout', 'soon', program('hello')]);
    assert.equal(value.code, 2);
    assert.match(value.stderr, /^zerovm: --timeout takes a duration [^\n]*"soon" \(see zerovm run --help\)\n$/);
    const noRun = command([program('hello')]);
    assert.equal(noRun.code, 2);
    assert.equal(noRun.stderr, `zerovm: unknown command "${program('hello')}"; did you mean zerovm run ${program('hello')}?\n`);
    const nothing = command([]);
    assert.deepEqual([nothing.code, nothing.stdout], [2, '']);
    assert.match(nothing.stderr, /^usage: zerovm run/);
  });

  it('prints the package version with --version, built and from source', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.deepEqual(command(['--version']), { code: 0, stdout: `zerovm ${version}\n`, stderr: '' });
    const source = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--version'], { cwd: root, encoding: 'utf8' });
    assert.equal(source.stdout, `zerovm ${version}\n`, source.stderr);
  });

  it('mounts --dir DIR at the same path taken from / (as wasmtime), and HOST::GUEST', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'top.txt'), 'top\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/f.txt'), 'deep\n');
    const here = zerovm(['--dir', '.', program('cat'), 'top.txt', '/sub/f.txt'], '', dir);
    assert.equal(here.stdout, 'top\ndeep\n', here.stderr);
    const sub = zerovm(['--dir', 'sub', program('cat'), 'sub/f.txt', '/sub/f.txt'], '', dir);
    assert.equal(sub.stdout, 'deep\ndeep\n', sub.stderr);
    const mapped = zerovm(['--dir=sub::/data', program('cat'), '/data/f.txt'], '', dir);
    assert.equal(mapped.stdout, 'deep\n', mapped.stderr);
  });

  it('names the flag of a path it cannot use, before the guest runs', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), '');
    const expect = (args: string[], stderr: string) => {
      const r = zerovm([...args, program('hello')]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `zerovm: ${stderr}\n`]);
    };
    expect(['--dir', '/nope'], '--dir /nope: no such directory');
    expect(['--dir', `${join(dir, 'file')}::/x`], `--dir ${join(dir, 'file')}: not a directory`);
    expect(['--stdin', '/nonexistent'], '--stdin /nonexistent: no such file');
    expect(['--manifest', '/nonexistent.json'], '--manifest /nonexistent.json: no such file');
    expect(['--report', join(dir, 'missing/r.json')], `--report ${join(dir, 'missing/r.json')}: no such directory ${join(dir, 'missing')}`);
    expect(['--report', dir], `--report ${dir}: is a directory`);
  });

  it('replaces an existing --report file, and writes one to /dev/stderr', () => {
    const file = join(scratch(), 'r.json');
    writeFileSync(file, 'x'.repeat(100_000));
    assert.equal(zerovm(['--report', file, program('exitcode'), '3']).code, 3);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).exitCode, 3);
    // through a shell's pipe: spawnSync's own stdio are sockets, which /dev/stderr cannot reopen
    const piped = spawnSync('sh', ['-c', `"$0" "$1" run --report /dev/stderr "$2" 2>&1 >/dev/null | cat`, process.execPath, cli, program('hello')], {
      encoding: 'utf8',
    });
    assert.equal(JSON.parse(piped.stdout).status, 'ok', piped.stdout);
  });

  it('passes every output byte through, while limits.output caps only the report', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: program('hello'), limits: { output: 5 } }));
    const r = zerovm(['--manifest', join(dir, 'm.json'), '--report', join(dir, 'r.json')]);
    assert.equal(r.stdout, 'Hello, world!\n', r.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).stdout, 'Hello');
  });

  it('passes 7 MiB of stdout through whole, and the report says it kept only limits.output', () => {
    const dir = scratch();
    const MiB = 1 << 20;
    writeFileSync(join(dir, 'm.json'), JSON.stringify({
      program: hostile('flood'),
      channels: [{ path: '/dev/stdout', limits: { writeBytes: 7 * MiB } }],
    }));
    const r = spawnSync(process.execPath, [cli, 'run', '--manifest', join(dir, 'm.json'), '--report', join(dir, 'r.json')], {
      maxBuffer: 64 * MiB,
      timeout: 60_000,
    });
    assert.equal(r.status, 3, r.stderr.toString()); // flood's own exit code once the quota stops it
    assert.equal(r.stdout.length, 7 * MiB);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.stdout.length, MiB);
    assert.equal(report.channels[1].truncated, true);
  });

  it('prints what a guest wrote before its timeout, and exits 124', () => {
    const r = zerovm(['--timeout', '300', hostile('printloop')]);
    assert.equal(r.code, 124);
    assert.equal(r.stdout, 'looping forever\n');
    assert.match(r.stderr, /^on stderr too\nzerovm: timeout: timed out after 300 ms/);
  });

  it('shows output while the guest computes; Ctrl-C ends the VM, writes the report, exits 130', async () => {
    const dir = scratch();
    const child = spawn(process.execPath, [cli, 'run', '--report', join(dir, 'r.json'), hostile('printloop')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b;
        if (stdout.includes('looping forever\n')) resolve();
      });
    });
    child.kill('SIGINT'); // the guest loops forever: only the interrupt ends this run
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /zerovm: killed: killed by its signal: interrupted by SIGINT/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.status, 'killed');
    assert.equal(report.stdout, 'looping forever\n');
  });

  it('takes --memory and --timeout with units, and refuses --memory past wasm32 as the flag at fault', () => {
    assert.equal(zerovm(['--memory=64MiB', '--timeout=10s', program('hello')]).code, 0);
    assert.equal(zerovm(['--memory', '4GiB', program('hello')]).code, 0);
    const big = zerovm(['--memory', '5GiB', program('hello')]);
    assert.equal(big.code, 2);
    assert.match(big.stderr, /^zerovm: --memory 5GiB: more than 4GiB/);
    assert.equal(zerovm(['--timeout=0.3s', fixture('spin')]).code, 124);
  });

  it('runs under a terminal: the output arrives, and a terminal stdin is not waited for', () => {
    const r = underPty(['run', program('hello')]);
    assert.equal(r.timedOut, false, 'zerovm waited on the terminal');
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Hello, world!\r?\n/);
  });
});
