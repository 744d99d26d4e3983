// The CLI's command line: options end at PROGRAM; values by units; bad usage named by its flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CliOptions, type Command, parseCommand, parseReplayArgs, parseRunArgs, UsageError } from '../../src/cli/args.js';
import { parseVolumeArgs } from '../../src/cli/volume-args.js';

function run(command: Command): CliOptions {
  assert.equal(command.kind, 'run');
  return (command as Extract<Command, { kind: 'run' }>).options;
}

function refuses(argv: string[], text: string): void {
  assert.throws(() => parseCommand(argv), (e: Error) => e instanceof UsageError && e.message.includes(text), `${argv.join(' ')}`);
}

describe('parseRunArgs', () => {
  it('reads every option, in both the spaced and the = form, then PROGRAM and the guest args untouched', () => {
    const o = run(parseRunArgs([
      '--env', 'A=1', '--env=B=x=y', '--dir', '/tmp/d:/sandbox', '--stdin=in.txt', '--memory', '1048576',
      '--timeout=500', '--seed', '7', '--epoch=1000', '--realtime', '--manifest', 'm.json', '--report=r.json',
      '--in', 'data=in.csv', '--in=live=-', '--out', 'log=out.txt', '--out=x.y_z-1=-', '--save-manifest=saved.json',
      'prog.wasm', '--env', '-n', 'x',
    ]));
    assert.equal(o.program, 'prog.wasm');
    assert.deepEqual(o.args, ['--env', '-n', 'x']);
    assert.deepEqual(o.env, { A: '1', B: 'x=y' });
    assert.deepEqual(o.mounts, [{ host: '/tmp/d', guest: '/sandbox' }]);
    assert.deepEqual(o.limits, { memory: 1048576, timeout: 500 });
    assert.deepEqual(o.determinism, { seed: 7, epoch: 1000, realtime: true });
    assert.equal(o.stdinFile, 'in.txt');
    assert.equal(o.manifestFile, 'm.json');
    assert.equal(o.reportFile, 'r.json');
    assert.deepEqual(o.inputs, [{ name: 'data', file: 'in.csv' }, { name: 'live', file: '-' }]);
    assert.deepEqual(o.outputs, [{ name: 'log', file: 'out.txt' }, { name: 'x.y_z-1', file: '-' }]);
    assert.equal(o.saveManifestFile, 'saved.json');
  });

  it('lets - be zerovm\'s stdin for one channel, and --out - for any number', () => {
    assert.equal(run(parseRunArgs(['--stdin', '-', 'p.wasm'])).stdinFile, '-');
    assert.deepEqual(run(parseRunArgs(['--stdin', 'f', '--in', 'a=-', 'p.wasm'])).inputs, [{ name: 'a', file: '-' }]);
    assert.equal(run(parseRunArgs(['--out', 'a=-', '--out', 'b=-', 'p.wasm'])).outputs.length, 2);
  });

  it('takes `--` as the end of options', () => {
    const o = run(parseRunArgs(['--', '--weird.wasm', 'a']));
    assert.equal(o.program, '--weird.wasm');
    assert.deepEqual(o.args, ['a']);
  });

  it('gives -h and --help after PROGRAM to the guest, and takes them before it', () => {
    assert.deepEqual(run(parseRunArgs(['clang.wasm', '--help', '-h'])).args, ['--help', '-h']);
    assert.deepEqual(run(parseRunArgs(['--', 'clang.wasm', '--help'])).args, ['--help']);
    assert.deepEqual(parseRunArgs(['--help', 'clang.wasm']), { kind: 'help' });
    assert.deepEqual(parseRunArgs(['--timeout', '5s', '-h']), { kind: 'help' });
    assert.deepEqual(run(parseCommand(['run', 'clang.wasm', '--help'])).args, ['--help']);
  });

  it('reads --dir as wasmtime does: DIR at the same path taken from /, HOST::GUEST, and HOST:/GUEST', () => {
    const mounts = (...specs: string[]) => run(parseRunArgs([...specs.flatMap((s) => ['--dir', s]), 'p.wasm'])).mounts;
    assert.deepEqual(mounts('.', './', 'data', 'some/path/', '/abs/dir'), [
      { host: '.', guest: '/' },
      { host: './', guest: '/' },
      { host: 'data', guest: '/data' },
      { host: 'some/path/', guest: '/some/path' },
      { host: '/abs/dir', guest: '/abs/dir' },
    ]);
    assert.deepEqual(mounts('h::/g', 'h::g', 'h::.', '/tmp/x::/'), [
      { host: 'h', guest: '/g' },
      { host: 'h', guest: '/g' },
      { host: 'h', guest: '/' },
      { host: '/tmp/x', guest: '/' },
    ]);
    assert.deepEqual(mounts('.:/', '/tmp/d:/sandbox'), [
      { host: '.', guest: '/' },
      { host: '/tmp/d', guest: '/sandbox' },
    ]);
    // a single colon not followed by / is part of a directory's name
    assert.deepEqual(mounts('odd:name'), [{ host: 'odd:name', guest: '/odd:name' }]);
  });

  it('reads --volume NAME=HOSTDIR:GUEST, ::GUEST and :ro, --image TAR:GUEST, with the --dir mounts in order, and --commit and --retry', () => {
    const o = run(parseRunArgs([
      '--volume', 'notes=vols/notes:/data', '--dir', 'd::/d', '--volume=a.b_c-1=/v/x::work:ro', '--image', 'https://h:8080/sys.tar:/usr',
      '--volume', 'odd=/a:b:/c', '--image=img.tar::opt', '--commit', 'always', '--retry=3', 'p.wasm',
    ]));
    assert.deepEqual(o.mounts, [
      { guest: '/data', volume: 'notes' },
      { host: 'd', guest: '/d' },
      { guest: '/work', volume: 'a.b_c-1', readonly: true },
      { guest: '/usr', image: 'https://h:8080/sys.tar' },
      { guest: '/c', volume: 'odd' },
      { guest: '/opt', image: 'img.tar' },
    ]);
    assert.deepEqual(o.volumeDirs, new Map([['notes', 'vols/notes'], ['a.b_c-1', '/v/x'], ['odd', '/a:b']]));
    assert.deepEqual([o.commit, o.retry], ['always', 3]);
  });

  it('reads --memory and --timeout with units', () => {
    const o = (...argv: string[]) => run(parseRunArgs([...argv, 'p.wasm'])).limits;
    assert.deepEqual(o('--memory', '64MiB', '--timeout', '30s'), { memory: 64 * 1024 * 1024, timeout: 30_000 });
    assert.deepEqual(o('--memory=64k', '--timeout=250ms'), { memory: 65536, timeout: 250 });
    assert.deepEqual(o('--memory', '4GiB', '--timeout', '2m'), { memory: 4 * 1024 ** 3, timeout: 120_000 });
  });
});

describe('parseReplayArgs', () => {
  it('reads --report, then MANIFEST and REPORT', () => {
    assert.deepEqual(parseReplayArgs(['m.json', 'r.json']), { kind: 'replay', options: { manifestFile: 'm.json', recordFile: 'r.json' } });
    assert.deepEqual(parseCommand(['replay', '--report=out.json', 'm.json', 'r.json']), {
      kind: 'replay',
      options: { manifestFile: 'm.json', recordFile: 'r.json', reportFile: 'out.json' },
    });
    assert.deepEqual(parseReplayArgs(['--', '-m.json', 'r.json']), { kind: 'replay', options: { manifestFile: '-m.json', recordFile: 'r.json' } });
    assert.deepEqual(parseReplayArgs(['--help']), { kind: 'help' });
  });
});

describe('parseCommand', () => {
  it('knows help, version, run, and no command at all', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'run']]) assert.deepEqual(parseCommand(argv), { kind: 'help' });
    assert.deepEqual(parseCommand(['--version']), { kind: 'version' });
    assert.deepEqual(parseCommand(['-V']), { kind: 'version' });
    assert.deepEqual(parseCommand([]), { kind: 'usage' });
    assert.equal(run(parseCommand(['run', 'p.wasm'])).program, 'p.wasm');
  });

  for (const [argv, text] of [
    [['prog.wasm'], 'unknown command "prog.wasm"; did you mean zerovm run prog.wasm?'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--foo'], 'unknown option --foo'],
    [['run', '--foo', 'p.wasm'], 'unknown option --foo'],
    [['run', '--foo=1', 'p.wasm'], 'unknown option --foo'],
    [['run', '-x', 'p.wasm'], 'unknown option -x'],
    [['run', '--realtime=yes', 'p.wasm'], '--realtime takes no value'],
    [['run', '--timeout', 'soon', 'p.wasm'], '--timeout takes a duration'],
    [['run', '--timeout', '0', 'p.wasm'], '--timeout takes a duration above 0'],
    [['run', '--memory', 'lots', 'p.wasm'], '--memory takes a size'],
    [['run', '--memory', '5GiB', 'p.wasm'], '--memory 5GiB: more than 4GiB'],
    [['run', '--memory', '4294967297', 'p.wasm'], '--memory 4294967297: more than 4GiB'],
    [['run', '--memory', '1k', 'p.wasm'], '--memory 1k: less than one 64KiB page'],
    [['run', '--seed', '-1', 'p.wasm'], '--seed takes a whole number'],
    [['run', '--env', 'NOVALUE', 'p.wasm'], '--env takes NAME=VALUE'],
    [['run', '--env', '=x', 'p.wasm'], '--env takes NAME=VALUE'],
    [['run', '--dir', '::/g', 'p.wasm'], '--dir takes DIR, HOST::GUEST'],
    [['run', '--dir', 'h::', 'p.wasm'], '--dir takes DIR, HOST::GUEST'],
    [['run', '--stdin'], '--stdin needs a value'],
    [['run', '--in', 'data', 'p.wasm'], '--in takes NAME=FILE or NAME=-, not "data"'],
    [['run', '--in', '=f', 'p.wasm'], '--in takes NAME=FILE or NAME=-, not "=f"'],
    [['run', '--out', 'x=', 'p.wasm'], '--out takes NAME=FILE or NAME=-, not "x="'],
    [['run', '--in', 'a/b=f', 'p.wasm'], '--in a/b=f: a channel NAME holds only letters, digits, . _ and -'],
    [['run', '--out', 'log=a', '--out', 'log=b', 'p.wasm'], '--out log is given twice'],
    [['run', '--stdin', '-', '--in', 'data=-', 'p.wasm'], "--stdin - and --in data=-: zerovm's stdin can be passed to one channel only"],
    [['run', '--in', 'a=-', '--in', 'b=-', 'p.wasm'], "--in a=- and --in b=-: zerovm's stdin can be passed to one channel only"],
    [['run', '--volume', 'd:/data', 'p.wasm'], '--volume takes NAME=HOSTDIR:GUEST or NAME=HOSTDIR::GUEST, with :ro after it for read-only, not "d:/data"'],
    [['run', '--volume', 'c=dir', 'p.wasm'], '--volume takes NAME=HOSTDIR:GUEST'],
    [['run', '--volume', 'c=dir:ro', 'p.wasm'], '--volume takes NAME=HOSTDIR:GUEST'],
    [['run', '--volume', 'c=:/data', 'p.wasm'], '--volume takes NAME=HOSTDIR:GUEST'],
    [['run', '--volume', 'a/b=d:/data', 'p.wasm'], '--volume a/b=d:/data: a volume NAME is 1 to 64 letters, digits, . _ and -'],
    [['run', '--volume', 'c=d1:/a', '--volume', 'c=d2:/b', 'p.wasm'], '--volume c is given twice'],
    [['run', '--volume', 'c=d:/a', '--volume', 'e=./d/:/b', 'p.wasm'], '--volume e=./d/: volume c is stored there too (one directory holds one volume)'],
    [['run', '--commit', 'sometimes', '--volume', 'c=d:/a', 'p.wasm'], '--commit takes exit0, always or never, not "sometimes"'],
    [['run', '--retry', 'many', '--volume', 'c=d:/a', 'p.wasm'], '--retry takes a whole number'],
    [['run', '--retry', '2', 'p.wasm'], '--retry is a rule of --volume mounts, and there is none'],
    [['run', '--image', 'sys.tar', 'p.wasm'], '--image takes TAR:GUEST or TAR::GUEST, not "sys.tar"'],
    [['run', '--image', 'https://h/sys.tar', 'p.wasm'], '--image takes TAR:GUEST or TAR::GUEST, not "https://h/sys.tar"'],
    [['volume'], 'volume needs a command: ls, history, export, import or restore'],
    [['volume', 'rm', 'd'], 'unknown volume command "rm"'],
    [['volume', 'ls'], 'volume ls takes DIR, not 0 arguments'],
    [['volume', 'import', 'd'], 'volume import takes HOSTDIR and FILE.tar, not 1 argument'],
    [['volume', 'history', 'd', '--version', '2'], 'unknown option --version'],
    [['volume', 'export', 'd', '--version', 'latest'], '--version takes a whole number, not "latest"'],
    [['volume', 'restore', 'd', 'v1'], 'volume restore d v1: VERSION is a whole number'],
    [['replay', 'm.json'], 'replay takes two files, MANIFEST.json and REPORT.json, not 1'],
    [['replay', 'm.json', 'r.json', 'x'], 'replay takes two files, MANIFEST.json and REPORT.json, not 3'],
    [['replay', '--memory', '1GiB', 'm.json', 'r.json'], 'unknown option --memory'],
    [['replay', '--report'], '--report needs a value'],
  ] as const) {
    it(`refuses ${argv.join(' ')}`, () => refuses([...argv], text));
  }

  it('hints at run --help for run options, and at nothing when it can say what was meant', () => {
    const hint = (argv: string[]) => {
      try {
        parseCommand(argv);
      } catch (e) {
        return (e as UsageError).hint;
      }
      assert.fail('not refused');
    };
    assert.equal(hint(['run', '--foo', 'p.wasm']), '(see zerovm run --help)');
    assert.equal(hint(['--foo']), '(see zerovm --help)');
    assert.equal(hint(['prog.wasm']), '');
    assert.equal(hint(['replay', '--foo', 'm.json', 'r.json']), '(see zerovm replay --help)');
    assert.equal(hint(['volume', 'ls', '--foo', 'd']), '(see zerovm volume --help)');
    assert.equal(hint(['volume', 'export', 'd', '--version', 'x']), '(see zerovm volume --help)');
  });
});

describe('parseVolumeArgs', () => {
  it('reads each command, with its flags before or after the directories', () => {
    assert.deepEqual(parseVolumeArgs(['ls', 'vols']), { kind: 'ls', dir: 'vols', json: false });
    assert.deepEqual(parseVolumeArgs(['ls', '--json', 'vols']), { kind: 'ls', dir: 'vols', json: true });
    assert.deepEqual(parseVolumeArgs(['history', 'vols/c', '--json']), { kind: 'history', dir: 'vols/c', json: true });
    assert.deepEqual(parseVolumeArgs(['export', 'vols/c']), { kind: 'export', dir: 'vols/c' });
    assert.deepEqual(parseVolumeArgs(['export', 'vols/c', '--version', '2', '-o', 'out.tar']), { kind: 'export', dir: 'vols/c', version: 2, output: 'out.tar' });
    assert.deepEqual(parseVolumeArgs(['export', '--version=3', '--output=o.tar', 'vols/c']), { kind: 'export', dir: 'vols/c', version: 3, output: 'o.tar' });
    assert.deepEqual(parseVolumeArgs(['import', 'vols/c', 'in.tar']), { kind: 'import', dir: 'vols/c', archive: 'in.tar' });
    assert.deepEqual(parseVolumeArgs(['restore', 'vols/c', '1']), { kind: 'restore', dir: 'vols/c', version: 1 });
    assert.deepEqual(parseVolumeArgs(['import', '--', '-odd', 'in.tar']), { kind: 'import', dir: '-odd', archive: 'in.tar' });
  });

  it('takes help however it is asked for', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['ls', '--help'], ['export', 'd', '-h']]) assert.deepEqual(parseVolumeArgs(argv), { kind: 'help' });
    assert.deepEqual(parseCommand(['help', 'volume']), { kind: 'volume', command: { kind: 'help' } });
    assert.deepEqual(parseCommand(['volume', 'ls', 'd']), { kind: 'volume', command: { kind: 'ls', dir: 'd', json: false } });
  });
});
