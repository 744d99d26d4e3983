// The CLI's command line: options stop at PROGRAM; bad options are named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArgs, UsageError } from '../../src/cli/args.js';

describe('parseRunArgs', () => {
  it('reads every option, then PROGRAM and the guest args untouched', () => {
    const o = parseRunArgs([
      '--env', 'A=1', '--env', 'B=x=y', '--dir', '/tmp/d:/sandbox', '--stdin', 'in.txt', '--memory', '1048576',
      '--timeout', '500', '--seed', '7', '--epoch', '1000', '--realtime', '--manifest', 'm.json', '--report', 'r.json',
      'prog.wasm', '--env', '-n', 'x',
    ]);
    assert.equal(o.program, 'prog.wasm');
    assert.deepEqual(o.args, ['--env', '-n', 'x']);
    assert.deepEqual(o.env, { A: '1', B: 'x=y' });
    assert.deepEqual(o.mounts, [{ host: '/tmp/d', guest: '/sandbox' }]);
    assert.deepEqual(o.limits, { memory: 1048576, timeout: 500 });
    assert.deepEqual(o.determinism, { seed: 7, epoch: 1000, realtime: true });
    assert.equal(o.stdinFile, 'in.txt');
    assert.equal(o.manifestFile, 'm.json');
    assert.equal(o.reportFile, 'r.json');
  });

  it('takes `--` as the end of options', () => {
    const o = parseRunArgs(['--', '--weird.wasm', 'a']);
    assert.equal(o.program, '--weird.wasm');
    assert.deepEqual(o.args, ['a']);
  });

  it('accepts a Windows-free HOST:GUEST with / as GUEST', () => {
    assert.deepEqual(parseRunArgs(['--dir', '.:/', 'p.wasm']).mounts, [{ host: '.', guest: '/' }]);
  });

  for (const [argv, text] of [
    [['--bogus', 'p.wasm'], 'unknown option --bogus'],
    [['--timeout', 'soon', 'p.wasm'], '--timeout takes a whole number'],
    [['--env', 'NOVALUE', 'p.wasm'], '--env takes NAME=VALUE'],
    [['--dir', '/tmp:rel', 'p.wasm'], 'absolute GUEST'],
    [['--stdin'], '--stdin needs a value'],
  ] as const) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseRunArgs([...argv]), (e: Error) => e instanceof UsageError && e.message.includes(text));
    });
  }
});
