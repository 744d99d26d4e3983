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
/** Served at /wc.wasm: a program of its own, so that its compile is not hello's, done already. */
const wc = readFileSync(new URL('../../public/programs/wc.wasm', import.meta.url));

describe('loading progress', () => {
  let vm: NodeZeroVM;
  let base = '';
  const server = createServer((req, res) => {
    const body = req.url === '/wc.wasm' ? wc : bytes;
    // In four pieces, a few ms apart: the fetch is heard as it goes.
    res.writeHead(200, { 'content-type': 'application/wasm', 'content-length': String(body.length) });
    const quarter = Math.ceil(body.length / 4);
    let at = 0;
    const next = () => {
      if (at >= body.length) return void res.end();
      res.write(body.subarray(at, (at += quarter)));
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

  it('two runs waiting on one load both hear it: the fetch as it goes, and the compile to its end', async () => {
    const url = `${base}/wc.wasm`; // not loaded before: its own fetch and compile
    const first: LoadProgress[] = [];
    const second: LoadProgress[] = [];
    const reports = await Promise.all([
      vm.run({ program: url, stdin: 'one two\n' }, { onProgress: (p) => first.push({ ...p }) }),
      vm.run({ program: url, stdin: 'one two\n' }, { onProgress: (p) => second.push({ ...p }) }),
    ]);
    assert.ok(reports.every((r) => r.status === 'ok' && r.exitCode === 0), JSON.stringify(reports.map((r) => r.message)));
    assert.equal(reports[0].stdout, reports[1].stdout);
    for (const [name, heard] of [['first', first], ['second', second]] as const) {
      assert.equal(heard.filter((p) => p.phase === 'fetch').at(-1)?.loaded, wc.length, `${name}: the whole fetch`);
      assert.deepEqual(heard.filter((p) => p.phase === 'compile').at(-1), { phase: 'compile', loaded: wc.length, total: wc.length }, `${name}: the compile's end`);
    }
  });

  it('preload tells it too (a program read from a file: one fetch step, whole)', async () => {
    const heard: LoadProgress[] = [];
    await vm.preload(new URL('../../public/programs/cat.wasm', import.meta.url).pathname, { onProgress: (p) => heard.push({ ...p }) });
    assert.deepEqual(heard.map((p) => p.phase), ['fetch', 'compile', 'compile']);
  });
});
