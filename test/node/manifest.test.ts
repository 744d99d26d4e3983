// Manifest validation: every refusal names the field at fault.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkManifest } from '../../src/host/validate.js';
import { buildFsImage } from '../../src/host/fs-image.js';
import { programName } from '../../src/contract/program-name.js';

describe('checkManifest', () => {
  it('accepts every kind of channel', () => {
    assert.equal(
      checkManifest({
        program: 'p',
        channels: [
          { path: '/dev/stdin', source: 'live' },
          { path: '/dev/stdout', sink: 'discard', etag: false },
          { path: '/dev/in/a', source: { bytes: 'text' } },
          { path: '/dev/in/b', source: { bytes: new Uint8Array(2) } },
          { path: '/dev/in/c', source: { base64: 'AQID' } },
          { path: '/dev/in/d', source: { url: 'https://example.com/d.csv' } },
          { path: '/dev/out/log', sink: 'live', limits: { writeBytes: 10 } },
          { path: '/dev/out/result', sink: 'capture' },
          { path: '/dev/call/db.v2_x-y' },
        ],
      }),
      null,
    );
  });

  it('accepts a full, valid manifest', () => {
    assert.equal(
      checkManifest({
        program: 'hello.wasm',
        args: ['hello', 'x'],
        env: { A: '1' },
        stdin: 'in',
        files: { '/data/a': 'x', '/data/b': new Uint8Array(2) },
        mounts: [{ guest: '/sandbox', host: '/tmp' }],
        limits: { memory: 65536, timeout: 100, fds: 16, output: 0 },
        determinism: { seed: 1, epoch: 0, realtime: false },
      }),
      null,
    );
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 42, 'manifest: expected an object'],
    ['no program', {}, 'manifest.program: required'],
    ['memory below one page', { program: 'p', limits: { memory: 1000 } }, 'manifest.limits.memory: expected at least 65536 (one 64 KiB'],
    ['memory past 4 GiB', { program: 'p', limits: { memory: 2 ** 33 } }, 'manifest.limits.memory: expected at most 4294967296'],
    ['an argument holding NUL', { program: 'p', args: ['p', 'a\0b'] }, 'manifest.args.1: holds a NUL character'],
    ['an env value holding NUL', { program: 'p', env: { A: 'x\0' } }, 'manifest.env.A: holds a NUL character'],
    ['an env name holding NUL', { program: 'p', env: { 'A\0': 'x' } }, 'manifest.env'],
    ['empty program', { program: '' }, 'manifest.program'],
    ['program of the wrong type', { program: 5 }, 'manifest.program'],
    ['args not strings', { program: 'p', args: ['a', 1] }, 'manifest.args.1'],
    ['env name with =', { program: 'p', env: { 'A=B': 'x' } }, 'manifest.env'],
    ['env value not a string', { program: 'p', env: { A: 1 } }, 'manifest.env.A'],
    ['relative file path', { program: 'p', files: { 'a.txt': 'x' } }, 'manifest.files'],
    ['negative timeout', { program: 'p', limits: { timeout: -1 } }, 'manifest.limits.timeout'],
    ['fractional memory', { program: 'p', limits: { memory: 1.5 } }, 'manifest.limits.memory'],
    ['too few fds', { program: 'p', limits: { fds: 2 } }, 'manifest.limits.fds'],
    ['unknown limit', { program: 'p', limits: { cpu: 1 } }, 'manifest.limits.cpu: unknown field'],
    ['unknown field', { program: 'p', progam: 'q' }, 'manifest.progam: unknown field'],
    ['relative mount', { program: 'p', mounts: [{ guest: 'x' }] }, 'manifest.mounts.0.guest'],
    ['realtime not boolean', { program: 'p', determinism: { realtime: 'yes' } }, 'manifest.determinism.realtime'],
    ['a channel at no channel path', { program: 'p', channels: [{ path: '/dev/sdtin' }] }, 'manifest.channels.0.path: expected /dev/stdin, /dev/stdout'],
    ['a channel name with a slash', { program: 'p', channels: [{ path: '/dev/in/a/b' }] }, 'manifest.channels.0.path'],
    ['a source on an output', { program: 'p', channels: [{ path: '/dev/stdout', source: 'live' }] }, 'manifest.channels.0.source: /dev/stdout is not an input channel'],
    ['a sink on an input', { program: 'p', channels: [{ path: '/dev/in/x', sink: 'live' }] }, 'manifest.channels.0.sink: /dev/in/x is not an output channel'],
    ['a source on a call channel', { program: 'p', channels: [{ path: '/dev/call/f', source: 'live' }] }, 'manifest.channels.0.source: /dev/call/f is not an input channel'],
    ['a channel declared twice', { program: 'p', channels: [{ path: '/dev/out/a' }, { path: '/dev/out/a' }] }, 'manifest.channels.1.path: /dev/out/a is declared twice'],
    ['stdin given twice', { program: 'p', stdin: 'x', channels: [{ path: '/dev/stdin', source: 'live' }] }, 'manifest.channels.0.source: /dev/stdin is given by manifest.stdin too'],
    ['a source of no known kind', { program: 'p', channels: [{ path: '/dev/in/x', source: { file: 'x' } }] }, 'manifest.channels.0.source: expected "live", { bytes }, { base64 } or { url }'],
    ['a sink of no known kind', { program: 'p', channels: [{ path: '/dev/out/x', sink: 'file' }] }, 'manifest.channels.0.sink: expected "capture", "live" or "discard"'],
    ['bad base64', { program: 'p', channels: [{ path: '/dev/in/x', source: { base64: 'a$b' } }] }, 'manifest.channels.0.source'],
    ['64 channels', { program: 'p', channels: Array.from({ length: 61 }, (_, i) => ({ path: `/dev/out/c${i}` })) }, 'manifest.channels: 64 channels, more than the 63'],
  ];
  for (const [what, manifest, field] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      const message = checkManifest(manifest);
      assert.ok(message?.startsWith(field), `got: ${message}`);
    });
  }
});

describe('buildFsImage', () => {
  it('preopens / when there are no mounts', () => {
    const image = buildFsImage({ '/a/b.txt': 'hi' });
    assert.deepEqual(image.preopens, ['/']);
    assert.deepEqual(image.entries, [{ path: '/a/b.txt', type: 'file', data: new TextEncoder().encode('hi') }]);
  });

  it('preopens mounts in order, and / last only when a file lies outside them', () => {
    assert.deepEqual(buildFsImage({ '/sandbox/x': 'x' }, ['/sandbox']).preopens, ['/sandbox', '/dev'], '/dev last, so /dev/* resolve by path');
    assert.deepEqual(buildFsImage({ '/etc/x': 'x' }, ['/sandbox', '/b']).preopens, ['/sandbox', '/b', '/']);
  });
});

describe('programName', () => {
  it('is the file name without .wasm, for argv[0]', () => {
    assert.equal(programName('/programs/wc.wasm?v=2'), 'wc');
    assert.equal(programName(new Uint8Array()), 'program');
  });
});
