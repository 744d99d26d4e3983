// A worker reads each request from the box (or a run message's text) once: the same bytes or
// text again (a page running one manifest over and over; the run's number travels apart) give
// back the request read last, with the new run's number, rather than a parse. Only a request no
// run changes is kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUN_BOX_BYTES } from '../../src/contract/link.js';
import { pack } from '../../src/contract/packed.js';
import { requestText, type VmRequest } from '../../src/contract/protocol.js';
import { LastRequest } from '../../src/worker/last-request.js';

/** A request as the host makes one for hello, without its run number (it travels in LinkWord.RunNumber). */
function request(over: Partial<VmRequest> = {}): Omit<VmRequest, 'run'> {
  return {
    moduleKey: 'hash/536870912/true',
    args: ['hello'],
    env: {},
    fs: { entries: [{ path: '/data/x', type: 'file', data: new Uint8Array([1, 2, 3]) }], preopens: ['/'] },
    channels: [
      { path: '/dev/stdin', kind: 'input', live: false, sink: 'discard', bytes: new TextEncoder().encode('in\n') },
      { path: '/dev/stdout', kind: 'output', live: false, sink: 'capture' },
      { path: '/dev/stderr', kind: 'output', live: false, sink: 'capture' },
    ],
    mode: 'plain',
    limits: { fds: 64, stream: 1 << 20, fileBytes: 1 << 29, record: 1 << 20 },
    determinism: { seed: 0, epoch: 0, realtime: false },
    collect: [],
    images: [],
    ...over,
  };
}

/** The box with `value` packed in it, and its size. */
function boxed(value: unknown): [Uint8Array, number] {
  const box = new Uint8Array(new SharedArrayBuffer(RUN_BOX_BYTES));
  const size = pack(value, box);
  assert.ok(size > 0, 'packed');
  return [box, size];
}

describe('the last request a worker read', () => {
  it('is taken again for the same bytes, with the new run number; other bytes are read anew', () => {
    const last = new LastRequest();
    const first = last.read(...boxed(request()), 7);
    assert.equal(first.again, false);
    assert.equal(first.request.run, 7);
    assert.deepEqual(first.request.args, ['hello']);
    assert.deepEqual(first.request.fs.entries[0], { path: '/data/x', type: 'file', data: new Uint8Array([1, 2, 3]) });

    const second = last.read(...boxed(request()), 8);
    assert.equal(second.again, true);
    assert.equal(second.request, first.request, 'the same object');
    assert.equal(second.request.run, 8);

    // One byte of fixed input apart: another request.
    const other = request();
    other.channels[0].bytes = new TextEncoder().encode('im\n');
    const third = last.read(...boxed(other), 9);
    assert.equal(third.again, false);
    assert.notEqual(third.request, first.request);
    assert.deepEqual(third.request.channels[0].bytes, new TextEncoder().encode('im\n'));
    // And the one before it is no longer kept: only the last is.
    assert.equal(last.read(...boxed(request()), 10).again, false);
    assert.equal(last.read(...boxed(request()), 11).again, true);
  });

  it('keeps no request that a run changes or that is its own: images, a replay, a plugin call', () => {
    const image = { key: 'k', guest: '/img', where: 'manifest.mounts.0' };
    const own: Partial<VmRequest>[] = [
      { images: [image] },
      { replay: [] },
      { plugin: { function: 'run', input: new Uint8Array(0), config: {}, hostFunctions: {}, http: 62, limits: { vars: 1, output: 1, memory: 1 } } },
    ];
    for (const over of own) {
      const last = new LastRequest();
      last.read(...boxed(request(over)), 1);
      assert.equal(last.read(...boxed(request(over)), 2).again, false, `${Object.keys(over)[0]}: read anew each time`);
    }
  });
});

describe('the last request a worker read from a message', () => {
  it('is taken again for the same text, with the new run number; other text is read anew', () => {
    const hello = request({ fs: { entries: [], preopens: ['/'] }, channels: [{ path: '/dev/stdout', kind: 'output', live: false, sink: 'capture' }] });
    const text = requestText({ ...hello, run: 1 });
    assert.ok(text, 'a request without bytes is JSON text');
    assert.equal(text, requestText({ ...hello, run: 2 }), 'the run number is not in it');
    assert.equal(requestText({ ...request(), run: 1 }), null, 'bytes in it: not text');
    const last = new LastRequest();
    const first = last.readText(text, 1);
    assert.equal(first.again, false);
    assert.equal(first.request.run, 1);
    const second = last.readText(text, 2);
    assert.equal(second.again, true);
    assert.equal(second.request, first.request);
    assert.equal(second.request.run, 2);
    const other = last.readText(requestText({ ...hello, args: ['hello', 'x'], run: 3 })!, 3);
    assert.equal(other.again, false);
    assert.deepEqual(other.request.args, ['hello', 'x']);
    const near = last.readText(requestText({ ...hello, args: ['hello', 'y'], run: 4 })!, 4); // as long, one letter apart
    assert.equal(near.again, false);
    assert.deepEqual(near.request.args, ['hello', 'y']);
    // Bytes and text are not the same request, even for the same request.
    assert.equal(last.read(...boxed(hello), 5).again, false);
    assert.equal(last.readText(text, 6).again, false);
  });
});
