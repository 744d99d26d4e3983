// The CLI's live channels end to end, through the built dist/cli.js: stdin passed through as the
// guest reads it (a real pseudo-terminal, and a pipe written line by line), --in and --out, and
// `zerovm replay` of a run saved with --report and --save-manifest.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const program = (name: string) => join(root, 'public/programs', `${name}.wasm`);
const hostile = (name: string) => join(root, 'test/hostile', `${name}.wasm`);
const scratch = () => mkdtempSync(join(tmpdir(), 'zerovm-cli-live-'));
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

function zerovm(args: string[], input: string | Buffer = '') {
  const r = spawnSync(process.execPath, [cli, ...args], { input, cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the CLI on a pseudo-terminal that is its controlling terminal (so Ctrl-C is a SIGINT, as
 * at a real one), and plays `steps` at it: each `expect` waits until the output holds that text,
 * each `send` types. The next line is typed only once the answer to the last one is out.
 * Reports the exit code and whether the terminal was still in cooked mode (line editing, echo) after.
 */
const PTY_SCRIPT = `
import fcntl, json, os, select, subprocess, sys, termios, time
master, slave = os.openpty()
def controlling():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
child = subprocess.Popen(sys.argv[3:], stdin=slave, stdout=slave, stderr=slave, close_fds=True, preexec_fn=controlling)
os.close(slave)
output, deadline, timed_out = b'', time.time() + float(sys.argv[1]), False
def wait_for(text):
    global output, timed_out
    while text is None or text.encode() not in output:
        ready, _, _ = select.select([master], [], [], max(0, deadline - time.time()))
        if not ready:
            timed_out = True
            return False
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed, the child is gone
            return False
        if not chunk:
            return False
        output += chunk
    return True
for step in json.loads(sys.argv[2]):
    if 'expect' in step and not wait_for(step['expect']):
        break
    if 'send' in step:
        os.write(master, step['send'].encode())
wait_for(None)
if timed_out:
    child.kill()
lflag = termios.tcgetattr(master)[3]
print(json.dumps({'code': child.wait(), 'timedOut': timed_out, 'output': output.decode('utf-8', 'replace'),
                  'cooked': bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)}))
`;

type Step = { expect: string } | { send: string };

function atTerminal(args: string[], steps: Step[], seconds = 10): { code: number; timedOut: boolean; output: string; cooked: boolean } {
  const r = spawnSync('python3', ['-c', PTY_SCRIPT, String(seconds), JSON.stringify(steps), process.execPath, cli, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** `child`'s stdout as it comes: `holds(text)` resolves once all of it so far holds `text`. */
function watch(child: ChildProcessWithoutNullStreams) {
  let seen = '';
  const waiting = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    seen += chunk;
    for (const check of waiting) check();
  });
  return {
    get text() {
      return seen;
    },
    holds: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} on stdout; so far: ${JSON.stringify(seen)}`)), 8_000);
        const check = () => {
          if (!seen.includes(text)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
  };
}

/** `child`'s exit code; 'hung' (and the child killed) when it has not exited within 10 s. */
function exited(child: ChildProcessWithoutNullStreams): Promise<number | null | 'hung'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('hung');
    }, 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

before(() => {
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.ok(existsSync(cli));
});

describe('zerovm run: stdin, passed through live', () => {
  it('at a terminal, answers each line as it is typed; Ctrl-D ends the input; the terminal stays cooked', () => {
    const r = atTerminal(['run', hostile('echolines')], [
      { send: 'one\n' }, { expect: 'got: one\r\n' },
      { send: 'two\n' }, { expect: 'got: two\r\n' },
      { send: '\x04' }, { expect: 'eof' },
    ]);
    assert.equal(r.timedOut, false, `a typed line was not answered before the next: ${JSON.stringify(r.output)}`);
    assert.equal(r.code, 0, r.output);
    // the terminal echoes what is typed (its own line editing), then the guest answers
    assert.equal(r.output, 'one\r\ngot: one\r\ntwo\r\ngot: two\r\neof\r\n');
    assert.equal(r.cooked, true, 'the terminal was left out of cooked mode');
  });

  it('runs calc at a terminal: banner, prompt, an answer per line, bye at Ctrl-D', () => {
    const r = atTerminal(['run', program('calc')], [
      { expect: '> ' }, { send: '6*7\n' }, { expect: '42\r\n> ' },
      { send: '2^10\n' }, { expect: '1024\r\n> ' },
      { send: '\x04' }, { expect: 'bye' },
    ]);
    assert.equal(r.timedOut, false, r.output);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /^calc: [^\r\n]*Ctrl-D[^\r\n]*\r\n> 6\*7\r\n42\r\n> 2\^10\r\n1024\r\n> \r?\n?bye\r\n$/);
  });

  it('Ctrl-C at a terminal ends a guest waiting for a line: exit 130', () => {
    const r = atTerminal(['run', program('calc')], [{ expect: '> ' }, { send: '\x03' }]);
    assert.equal(r.timedOut, false, r.output);
    assert.equal(r.code, 130, r.output);
    assert.match(r.output, /zerovm: killed: killed by its signal: interrupted by SIGINT/);
  });

  it('reads a pipe as the guest reads it: each line is answered before the next is written', async () => {
    const child = spawn(process.execPath, [cli, 'run', hostile('echolines')]);
    const code = exited(child);
    const stdout = watch(child);
    child.stdin.write('one\n');
    await stdout.holds('got: one\n'); // the pipe is still open: a CLI that read it whole would never answer
    child.stdin.write('two\n');
    await stdout.holds('got: two\n');
    child.stdin.end();
    assert.equal(await code, 0);
    assert.equal(stdout.text, 'got: one\ngot: two\neof\n');
  });

  it('exits when the guest is done with stdin, or ended, while the writer keeps the pipe open', async () => {
    for (const [guest, input] of [[program('hello'), ''], [program('calc'), '1+1\nquit\n']] as const) {
      const child = spawn(process.execPath, [cli, 'run', guest]);
      child.stdin.write(input); // and never ends it
      const code = await exited(child);
      assert.equal(code, 0, guest);
      child.stdin.destroy();
    }
    // and when it is ended while it waits for more
    const waiting = spawn(process.execPath, [cli, 'run', '--timeout', '300', hostile('echolines')]);
    waiting.stdin.write('one\n');
    assert.equal(await exited(waiting), 124);
    waiting.stdin.destroy();
  });

  it('keeps a manifest\'s stdin, and --stdin FILE is fixed bytes', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: hostile('echolines'), stdin: 'from the manifest\n' }));
    writeFileSync(join(dir, 'in.txt'), 'from a file\n');
    assert.equal(zerovm(['run', '--manifest', join(dir, 'm.json')], 'piped\n').stdout, 'got: from the manifest\neof\n');
    assert.equal(zerovm(['run', '--stdin', join(dir, 'in.txt'), '--manifest', join(dir, 'm.json')], 'piped\n').stdout, 'got: from a file\neof\n');
    assert.equal(zerovm(['run', '--stdin', '-', '--manifest', join(dir, 'm.json')], 'piped\n').stdout, 'got: piped\neof\n');
  });
});

/** Byte k is k % 256, as sinkflood writes them; the checksum readall prints. */
const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, k) => k % 256));
const checksum = (bytes: Buffer) => bytes.reduce((sum, b) => (sum + b) >>> 0, 0);

describe('zerovm run --in and --out', () => {
  it('--in NAME=FILE gives /dev/in/NAME the file\'s bytes, NAME=- zerovm\'s stdin (and the guest\'s stdin none)', () => {
    const dir = scratch();
    const bytes = Buffer.concat([pattern(70_000), Buffer.from('tail')]);
    writeFileSync(join(dir, 'data.bin'), bytes);
    const expected = `bytes: ${bytes.length}, checksum: ${checksum(bytes)}\n`;
    assert.deepEqual(zerovm(['run', '--in', `data=${join(dir, 'data.bin')}`, hostile('readall'), 'data']), { code: 0, stdout: expected, stderr: '' });
    assert.deepEqual(zerovm(['run', '--in=data=-', hostile('readall'), 'data'], bytes), { code: 0, stdout: expected, stderr: '' });
    assert.equal(zerovm(['run', '--in', 'data=-', hostile('echolines')], 'not for stdin\n').stdout, 'eof\n');
  });

  it('--out NAME=FILE streams /dev/out/NAME into the file, NAME=- to stdout', () => {
    const dir = scratch();
    const file = join(dir, 'out.bin');
    const r = zerovm(['run', '--out', `data=${file}`, hostile('sinkflood'), String(1 << 20), '4096']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `wrote ${1 << 20}\n`, '']);
    assert.ok(readFileSync(file).equals(pattern(1 << 20)), 'the file holds every byte, in order');
    const out = spawnSync(process.execPath, [cli, 'run', '--out', 'data=-', hostile('sinkflood'), '1000', '7']);
    assert.equal(out.status, 0, out.stderr.toString());
    // two channels on one stdout: each in order, but not in order with each other
    const at = out.stdout.indexOf('wrote 1000\n');
    assert.ok(at >= 0, 'the guest\'s stdout is there');
    assert.ok(Buffer.concat([out.stdout.subarray(0, at), out.stdout.subarray(at + 11)]).equals(pattern(1000)), 'and every byte of /dev/out/data, in order');
  });

  it('--out makes the guest wait for a slow reader: it finishes only once the reader took nearly all', async () => {
    const dir = scratch();
    const fifo = join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const total = 4 << 20;
    const child = spawn(process.execPath, [cli, 'run', '--out', `data=${fifo}`, hostile('sinkflood'), String(total), '4096']);
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    const code = exited(child);
    const reader = createReadStream(fifo, { highWaterMark: 16 * 1024 });
    const parts: Buffer[] = [];
    let taken = 0;
    for await (const part of reader) {
      parts.push(part as Buffer);
      taken += (part as Buffer).length;
      if (taken >= 1 << 20 && taken - (part as Buffer).length < 1 << 20) {
        await new Promise((r) => setTimeout(r, 500)); // a slow reader: the guest must be waiting now
        assert.equal(stdout, '', `the guest finished with only ${taken} of ${total} bytes read`);
      }
    }
    assert.equal(await code, 0);
    assert.equal(stdout, `wrote ${total}\n`);
    assert.ok(Buffer.concat(parts).equals(pattern(total)), 'every byte, in order');
  });

  it('says which --out file could not take what the guest wrote, and exits 1 (or the guest\'s code)', () => {
    const small = zerovm(['run', '--out', 'data=/dev/full', hostile('sinkflood'), '100', '100']);
    assert.deepEqual([small.code, small.stdout], [1, 'wrote 100\n']); // the guest saw its write succeed
    assert.match(small.stderr, /^zerovm: --out data=\/dev\/full: ENOSPC[^\n]*\n$/);
    const big = zerovm(['run', '--out', 'data=/dev/full', hostile('sinkflood'), '100000', '4096']);
    assert.equal(big.code, 1);
    assert.match(big.stderr, /^sinkflood: \/dev\/out\/data: Broken pipe after \d+ bytes\nzerovm: --out data=\/dev\/full: ENOSPC[^\n]*\n$/);
  });

  it('names the flag at fault before the guest runs', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'live.json'), JSON.stringify({ program: hostile('sinkflood'), channels: [{ path: '/dev/out/data', sink: 'live' }] }));
    const expect = (args: string[], stderr: string) => {
      const r = zerovm(['run', ...args, hostile('sinkflood'), '10']);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `zerovm: ${stderr}\n`], args.join(' '));
    };
    expect(['--in', 'data=/nope'], '--in data=/nope: no such file');
    expect(['--out', 'x=/nodir/f'], '--out x=/nodir/f: no such directory');
    expect(['--out', `x=${dir}`], `--out x=${dir}: is a directory`);
    expect(['--stdin', '-', '--in', 'a=-'], '--stdin - and --in a=-: zerovm\'s stdin can be passed to one channel only (see zerovm run --help)');
    expect(['--in', 'a=-', '--in', 'b=-'], '--in a=- and --in b=-: zerovm\'s stdin can be passed to one channel only (see zerovm run --help)');
    const unbound = zerovm(['run', '--manifest', join(dir, 'live.json')]);
    assert.deepEqual([unbound.code, unbound.stderr], [2, `zerovm: --manifest ${join(dir, 'live.json')}: /dev/out/data is live: stream it to a file with --out data=FILE\n`]);
    writeFileSync(join(dir, 'call.json'), JSON.stringify({ program: program('hello'), channels: [{ path: '/dev/call/db' }] }));
    const call = zerovm(['run', '--manifest', join(dir, 'call.json')]);
    assert.deepEqual([call.code, call.stderr], [2, `zerovm: --manifest ${join(dir, 'call.json')}: /dev/call/db is a call channel, which zerovm cannot answer\n`]);
  });

  it('sends a manifest\'s live /dev/stdout to zerovm\'s stdout', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: program('hello'), channels: [{ path: '/dev/stdout', sink: 'live' }] }));
    assert.deepEqual(zerovm(['run', '--manifest', join(dir, 'm.json')]), { code: 0, stdout: 'Hello, world!\n', stderr: '' });
  });
});

describe('zerovm replay', () => {
  it('runs a run saved with --report and --save-manifest again: the same output and etag', async () => {
    const dir = scratch();
    const [report, manifest, again] = ['r.json', 'm.json', 'again.json'].map((f) => join(dir, f));
    const child = spawn(process.execPath, [cli, 'run', '--report', report, '--save-manifest', manifest, hostile('echolines')]);
    const code = exited(child);
    child.stdin.write('first\n');
    await watch(child).holds('got: first\n');
    child.stdin.end('second\n');
    assert.equal(await code, 0);
    const saved = json(manifest);
    assert.deepEqual(saved, { program: hostile('echolines'), args: ['echolines'], channels: [{ path: '/dev/stdin', source: 'live' }] });
    const recorded = json(report);
    assert.equal(recorded.inputs.complete, true);

    const r = zerovm(['replay', '--report', again, manifest, report], 'ignored\n');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'got: first\ngot: second\neof\n', '']);
    assert.equal(json(again).status, 'ok');
    assert.equal(json(again).etag, recorded.etag);
    assert.deepEqual(json(again).channels.map((c: { etag: string }) => c.etag), recorded.channels.map((c: { etag: string }) => c.etag));
  });

  it('replays from the saved manifest alone, from another directory: relative paths, --dir, --in bytes', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/f.txt'), 'mounted\n');
    writeFileSync(join(dir, 'data.bin'), pattern(5000));
    mkdirSync(join(dir, 'saved')); // paths relative to zerovm's directory are not relative to the saved manifest's
    const saved = (name: string) => ['--report', `saved/${name}.r.json`, '--save-manifest', `saved/${name}.m.json`];
    const runs = {
      readall: ['run', '--in', 'data=data.bin', ...saved('readall'), relative(dir, hostile('readall')), 'data'],
      cat: ['run', '--dir', 'sub::/sub', ...saved('cat'), relative(dir, program('cat')), '/sub/f.txt', '-'],
    };
    for (const [name, args] of Object.entries(runs)) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, input: 'piped\n', encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      if (name === 'cat') assert.equal(r.stdout, 'mounted\npiped\n');
      rmSync(join(dir, 'data.bin'), { force: true }); // the saved manifest holds its bytes
      const again = spawnSync(process.execPath, [cli, 'replay', join(dir, `saved/${name}.m.json`), join(dir, `saved/${name}.r.json`)], { cwd: tmpdir(), encoding: 'utf8' });
      assert.deepEqual([again.status, again.stdout, again.stderr], [0, r.stdout, ''], name);
    }
  });

  it('says so when the report has no record of live input, or an incomplete one (exit 126)', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'in.txt'), 'fixed\n');
    writeFileSync(join(dir, 'small.json'), JSON.stringify({ program: hostile('echolines'), limits: { output: 4 } }));
    assert.equal(zerovm(['run', '--stdin', join(dir, 'in.txt'), '--report', join(dir, 'fixed.json'), '--save-manifest', join(dir, 'fixed-m.json'), hostile('echolines')]).code, 0);
    const none = zerovm(['replay', join(dir, 'fixed-m.json'), join(dir, 'fixed.json')]);
    assert.equal(none.code, 126);
    assert.match(none.stderr, /^zerovm: invalid: report\.inputs: the report has no record of live input/);
    assert.equal(zerovm(['run', '--manifest', join(dir, 'small.json'), '--report', join(dir, 'cut.json'), '--save-manifest', join(dir, 'cut-m.json')], 'more than four bytes\n').code, 0);
    const cut = zerovm(['replay', join(dir, 'cut-m.json'), join(dir, 'cut.json')]);
    assert.equal(cut.code, 126);
    assert.match(cut.stderr, /^zerovm: invalid: report\.inputs: the record is incomplete/);
  });

  it('names the file at fault, and refuses bad usage', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'not.json'), '{');
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ program: hostile('echolines') }));
    const expect = (args: string[], stderr: string) => assert.deepEqual(zerovm(['replay', ...args]), { code: 2, stdout: '', stderr: `zerovm: ${stderr}\n` });
    expect(['/nope.json', join(dir, 'm.json')], 'replay /nope.json: no such file');
    expect([join(dir, 'm.json'), join(dir, 'not.json')], `replay ${join(dir, 'not.json')}: not valid JSON: ${jsonError('{')}`);
    expect([join(dir, 'm.json'), join(dir, 'm.json')], `replay ${join(dir, 'm.json')}: not a zerovm report`);
    expect([join(dir, 'm.json')], 'replay takes two files, MANIFEST.json and REPORT.json, not 1 (see zerovm replay --help)');
    expect(['--timeout', '1s', 'a', 'b'], 'unknown option --timeout (see zerovm replay --help)');
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
