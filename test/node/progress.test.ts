// A program's loading, told as it goes (RunOptions.onProgress, preload's): its bytes as they
// arrive (total from content-length), then its compile; nothing for a program already compiled.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type LoadProgress, NodeZeroVM } from '../../src/node.js';

const hello = new URL('../../public/programs/hello.wasm', import.meta.url);
const bytes = readFileSync(hello);

describe('loading progress', () => {
  let vm: NodeZeroVM;
  let base = '';
  const server = createServer((req, res) => {
    // In four pieces, a few ms apart: the fetch is heard as it goes.
    res.writeHead(200, { 'content-type': 'application/wasm', 'content-length': String(bytes.length) });
    const quarter = Math.ceil(bytes.length / 4);
    let at = 0;
    const next = () => {
      if (at >= bytes.length) return void res.end();
      res.write(bytes.subarray(at, (at += quarter)));
      setTimeout(next, 5);
    };
    next();
  });
  before(async () => {
    vm = new NodeZeroVM({ pool: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    vm.dispose();
    server.close();
  });

  it('a program fetched over HTTP: its bytes as they come, of the total, then its compile; a second run hears nothing', async () => {
    const heard: LoadProgress[] = [];
    const report = await vm.run({ program: `${base}/hello.wasm` }, { onProgress: (p) => heard.push({ ...p }) });
    assert.equal(report.stdout, 'Hello, world!\n');
    const fetches = heard.filter((p) => p.phase === 'fetch');
    assert.ok(fetches.length >= 3, `several fetch steps, got ${JSON.stringify(fetches)}`);
    assert.ok(fetches.every((p) => p.total === bytes.length));
    assert.deepEqual(fetches.map((p) => p.loaded), [...fetches.map((p) => p.loaded)].sort((a, b) => a - b), 'loaded only grows');
    assert.equal(fetches.at(-1)!.loaded, bytes.length);
    assert.deepEqual(heard.filter((p) => p.phase === 'compile'), [
      { phase: 'compile', loaded: 0, total: bytes.length },
      { phase: 'compile', loaded: bytes.length, total: bytes.length },
    ]);
    const lastFetch = heard.map((p) => p.phase).lastIndexOf('fetch');
    assert.ok(heard.findIndex((p) => p.phase === 'compile') > lastFetch, 'the compile after the fetch');
    const again: LoadProgress[] = [];
    await vm.run({ program: `${base}/hello.wasm` }, { onProgress: (p) => again.push(p) });
    assert.deepEqual(again, []);
  });

  it('preload tells it too (a program read from a file: one fetch step, whole)', async () => {
    const heard: LoadProgress[] = [];
    await vm.preload(new URL('../../public/programs/cat.wasm', import.meta.url).pathname, { onProgress: (p) => heard.push({ ...p }) });
    assert.deepEqual(heard.map((p) => p.phase), ['fetch', 'compile', 'compile']);
  });
});
