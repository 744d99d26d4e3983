// Differential test: every example program in public/programs, run under Node's own `node:wasi`
// (the reference) and under ZeroVM (runInNode); stdout, stderr and exit code must match exactly.
// A few cases also check the reference against an independent answer (node:crypto, plain JS), so
// that a bug shared by a program and both runtimes cannot hide.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runInNode } from '../../src/cli/node-host.js';
import { noise } from '../noise.js';
import { type Outcome, runNodeWasi } from './node-wasi.js';

interface Case {
  /** Arguments after argv[0] (argv[0] is the program's name). */
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  /** Mount a fresh copy of the fixture directory at /sandbox. */
  dir?: boolean;
  /** An independent check of the reference outcome. */
  expect?: (o: Outcome) => void;
  /** Why stderr may differ (an errno's text, where the runtimes differ by design); the rest must not. */
  stderrDiffers?: string;
}

const FIXTURE: Record<string, string | Uint8Array> = {
  'a.txt': 'alpha\nbeta\ngamma\n',
  'b.txt': 'delta epsilon\nno newline at the end',
  'numbers.txt': '10\n9\n-3\n2.5\n100\nabc\n1e3\n',
  'empty.txt': '',
  'unicode.txt': 'héllo wörld — ünïcode ✓\n',
  'sub/c.txt': 'in a subdirectory\n',
  'big.bin': noise(200_000, 0x2545f491),
};

const scratch = mkdtempSync(join(tmpdir(), 'zerovm-diff-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Each run gets its own copy: fsdemo changes its directory, and node:wasi writes through to the host.
let copies = 0;
function fixtureDir(): string {
  const dir = join(scratch, String(copies++));
  for (const [name, content] of Object.entries(FIXTURE)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  symlinkSync('a.txt', join(dir, 'link.txt'));
  return dir;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const exits = (code: number, stdout: string, stderr = '') => (o: Outcome) => assert.deepEqual(o, { exitCode: code, stdout, stderr });

const CASES: Record<string, Record<string, Case>> = {
  calc: {
    'expressions from stdin, then quit': { stdin: '1+2\n2^3^2\n7/2\n-2^2\n(1+2\n1/0\nquit\n' },
    'to the end of input': { stdin: '0.1+0.2\n2^60\n  \n10 % 4' },
  },
  dict: {
    // No call channel here: both say so and exit 2 (the call channel is tested in test/live).
    'no /dev/call/dict': {
      args: ['wasm'],
      stderrDiffers: 'ZeroVM always preopens /dev (ENOENT: no such device); node:wasi has no preopen for it (ENOTCAPABLE)',
    },
  },
  hello: {
    'no arguments': { expect: exits(0, 'Hello, world!\n') },
    'one argument': { args: ['ZeroVM'], expect: exits(0, 'Hello, ZeroVM!\n') },
  },
  cat: {
    'stdin, no arguments': { stdin: 'one\ntwo\n', expect: exits(0, 'one\ntwo\n') },
    'two files': { dir: true, args: ['/sandbox/a.txt', '/sandbox/b.txt'], expect: exits(0, `${FIXTURE['a.txt']}${FIXTURE['b.txt']}`) },
    'file, stdin, file': { dir: true, stdin: 'STDIN\n', args: ['/sandbox/a.txt', '-', '/sandbox/sub/c.txt'] },
    'through a symlink': { dir: true, args: ['/sandbox/link.txt'], expect: exits(0, FIXTURE['a.txt'] as string) },
    'UTF-8 text': { dir: true, args: ['/sandbox/unicode.txt'] },
    'binary, 200 KB': { dir: true, args: ['/sandbox/big.bin'] },
    'missing file': {
      dir: true,
      args: ['/sandbox/a.txt', '/sandbox/missing.txt'],
      expect: exits(1, FIXTURE['a.txt'] as string, 'cat: /sandbox/missing.txt: No such file or directory\n'),
    },
    'escape with ..': { dir: true, args: ['/sandbox/../etc/passwd'] },
    'path outside every preopen': { dir: true, args: ['/etc/passwd'] },
  },
  wc: {
    stdin: { stdin: 'one two\nthree  four \n\tfive', expect: exits(0, '      2       5      26\n') },
    'files and a total': { dir: true, args: ['/sandbox/a.txt', '/sandbox/b.txt', '/sandbox/empty.txt', '/sandbox/unicode.txt'] },
    'binary file': { dir: true, args: ['/sandbox/big.bin'] },
    'missing file among others': { dir: true, args: ['/sandbox/a.txt', '/sandbox/nope', '/sandbox/b.txt'] },
  },
  sort: {
    stdin: { stdin: 'pear\napple\nfig\nbanana', expect: exits(0, 'apple\nbanana\nfig\npear\n') },
    'two files, reversed': { dir: true, args: ['-r', '/sandbox/a.txt', '/sandbox/b.txt'] },
    numeric: { dir: true, args: ['-n', '/sandbox/numbers.txt'], expect: exits(0, '-3\nabc\n2.5\n9\n10\n100\n1e3\n') },
    'numeric, reversed': { dir: true, args: ['-rn', '/sandbox/numbers.txt'] },
    'invalid option': { args: ['-x'] },
    'missing file': { dir: true, args: ['/sandbox/nope'] },
  },
  sha256sum: {
    'stdin "abc"': { stdin: 'abc', expect: exits(0, `${sha256('abc')}  -\n`) },
    'empty stdin': { expect: exits(0, `${sha256('')}  -\n`) },
    files: {
      dir: true,
      args: ['/sandbox/a.txt', '/sandbox/big.bin', '/sandbox/empty.txt'],
      expect: exits(0, ['a.txt', 'big.bin', 'empty.txt'].map((f) => `${sha256(FIXTURE[f]!)}  /sandbox/${f}\n`).join('')),
    },
    'missing file': { dir: true, args: ['/sandbox/nope', '/sandbox/a.txt'] },
  },
  primes: {
    default: { expect: exits(0, '9592 primes up to 100000; the largest is 99991\n') },
    'verbose, to 30': { args: ['-v', '30'], expect: exits(0, '2\n3\n5\n7\n11\n13\n17\n19\n23\n29\n10 primes up to 30; the largest is 29\n') },
    'to 2,000,000': { args: ['2000000'] },
    'invalid limit': { args: ['abc'] },
  },
  fsdemo: {
    'in /sandbox': { dir: true, args: ['/sandbox'] },
    'default "." outside the preopen': { dir: true },
    'missing base directory': { dir: true, args: ['/sandbox/nodir'] },
  },
  env: {
    'arguments and variables': {
      args: ['a', 'b c', 'ünïcode', ''],
      env: { HOME: '/home/guest', LANG: 'C.UTF-8', EMPTY: '', EQUALS: 'a=b=c', Z: 'last', A: 'first' },
      expect: exits(0, 'argc=5\nargv[0]=env\nargv[1]=a\nargv[2]=b c\nargv[3]=ünïcode\nargv[4]=\nA=first\nEMPTY=\nEQUALS=a=b=c\nHOME=/home/guest\nLANG=C.UTF-8\nZ=last\n'),
    },
    'nothing given': { expect: exits(0, 'argc=1\nargv[0]=env\n') },
  },
  notes: {
    'a new list: add, list, done, clear, help, unknown commands': { dir: true, args: ['/sandbox/notes.txt'], stdin: 'list\nadd milk\nadd  eggs  \nadd\ndone 1\ndone 3\ndone x\ndone\nlist\nclear\nlist\nhelp\nbogus\nquit\n' },
    'a file of plain lines read as notes, to the end of input': { dir: true, args: ['/sandbox/a.txt'], stdin: 'list\ndone 2\nclear\nlist' },
  },
  exitcode: {
    '0': { args: ['0'], expect: exits(0, 'exiting with 0\n', 'exitcode: exit status 0\n') },
    '3': { args: ['3'], expect: exits(3, 'exiting with 3\n', 'exitcode: exit status 3\n') },
    '255': { args: ['255'] },
  },
};

const programs = new URL('../../public/programs/', import.meta.url);

describe('differential: node:wasi vs ZeroVM', () => {
  it('covers every example program', () => {
    const index = JSON.parse(readFileSync(new URL('index.json', programs), 'utf8')) as { name: string }[];
    assert.deepEqual(index.map((p) => p.name).sort(), Object.keys(CASES).sort());
  });

  for (const [name, cases] of Object.entries(CASES)) {
    const program = new Uint8Array(readFileSync(new URL(`${name}.wasm`, programs)));
    describe(name, () => {
      for (const [title, c] of Object.entries(cases)) {
        it(title, async () => {
          const args = [name, ...(c.args ?? [])];
          const env = c.env ?? {};
          const reference = await runNodeWasi({ program, args, env, stdin: c.stdin, preopens: c.dir ? { '/sandbox': fixtureDir() } : {} });
          c.expect?.(reference);
          const report = await runInNode({ program, args, env, stdin: c.stdin, mounts: c.dir ? [{ host: fixtureDir(), guest: '/sandbox' }] : [] });
          assert.equal(report.status, 'ok', report.message);
          if (c.stderrDiffers) {
            assert.deepEqual({ exitCode: report.exitCode, stdout: report.stdout }, { exitCode: reference.exitCode, stdout: reference.stdout });
            assert.equal(report.stderr.split(':')[0], reference.stderr.split(':')[0], c.stderrDiffers);
          } else assert.deepEqual({ exitCode: report.exitCode, stdout: report.stdout, stderr: report.stderr }, reference);
        });
      }
    });
  }
});
