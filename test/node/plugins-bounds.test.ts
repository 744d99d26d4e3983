// Plugins at their bounds: what a plugin cannot get past (host memory through blocks, allowedHosts
// through a redirect), and what its host does at the edges (replay on a kept instance, a replay of
// a call with no host calls, dispose with the host, allowedHosts entries that could never match).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Blocks } from '../../src/kernel/extism/blocks.js';
import { NodeZeroVM, PluginError } from '../../src/node.js';
import { pluginWasm as wasm } from '../plugins/wasm.js';

describe('plugins at their bounds (Node)', () => {
  let vm: NodeZeroVM;
  let port = 0;
  // /hop answers with a redirect to localhost (not allowed); /secret is what it leads to.
  let slowClosed: () => void = () => {};
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      // A body that takes a minute: only an abort ends it sooner.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('x'), 50);
      res.on('close', () => {
        clearInterval(drip);
        slowClosed();
      });
      setTimeout(() => res.end(), 60_000).unref();
      return;
    }
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://localhost:${port}/secret` });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(req.url === '/secret' ? 'INTERNAL SECRET' : 'fine');
  });
  before(async () => {
    vm = new NodeZeroVM({ pool: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    vm.dispose();
    server.close();
  });

  it('blocks cost host memory even when empty: past limits.memory alloc fails', () => {
    const blocks = new Blocks(64 * 1024);
    let made = 0;
    assert.throws(() => {
      for (;;) {
        blocks.alloc(0);
        made++;
      }
    }, /limits\.memory/);
    assert.ok(made > 0 && made <= 1024, `${made} empty blocks in 64 KiB`);
  });

  it('a redirect to a host not in allowedHosts is refused, not followed', async () => {
    const p = await vm.plugin({ program: await wasm('plugin'), allowedHosts: ['127.0.0.1'] });
    try {
      assert.equal((await p.call('http_get', `http://127.0.0.1:${port}/fine`)).text(), '200\nfine');
      const error = await p.call('http_get', `http://127.0.0.1:${port}/hop`).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof PluginError, 'refused');
      assert.match(error.message, /localhost:\d+\/secret.*not allowed/);
    } finally {
      p.dispose();
    }
  });

  it('a call that times out ends its HTTP request too', async () => {
    const p = await vm.plugin({ program: await wasm('plugin'), allowedHosts: ['127.0.0.1'], limits: { timeout: 500 } });
    try {
      const closed = new Promise<void>((resolve) => (slowClosed = resolve));
      const error = await p.call('http_get', `http://127.0.0.1:${port}/slow`).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof PluginError && error.report.status === 'timeout', 'the call timed out');
      await closed; // the server saw the request end (the test's own timeout fails it otherwise)
    } finally {
      p.dispose();
    }
  });

  it('allowedHosts entries that could never match are refused at load, naming the entry', async () => {
    const program = await wasm('plugin');
    await assert.rejects(vm.plugin({ program, allowedHosts: ['https://example.com'] }), /manifest\.allowedHosts\.0: a host name or glob only/);
    await assert.rejects(vm.plugin({ program, allowedHosts: ['example.com', 'example.com:8080'] }), /manifest\.allowedHosts\.1: ports are not part/);
  });

  it('a replay on a keepState plugin runs on a fresh instance, leaving the kept one as it was', async () => {
    const p = await vm.plugin({ program: await wasm('plugin') }, { keepState: true });
    try {
      const first = await p.call('counter');
      assert.equal(first.text(), '1');
      assert.equal((await p.call('counter')).text(), '2');
      assert.equal((await p.call('counter', '', { replay: first.report })).text(), '1', 'the replay gives what the call gave');
      assert.equal((await p.call('counter')).text(), '3', 'the kept instance did not move');
      await assert.rejects(p.call('echo', '', { replay: first.report }), /the report is of a call of counter, not echo/);
    } finally {
      p.dispose();
    }
  });

  it('dispose() of the host ends its plugins', async () => {
    const host = new NodeZeroVM({ pool: 1 });
    const p = await host.plugin({ program: await wasm('hostile') });
    assert.equal((await p.call('alive')).text(), 'alive');
    host.dispose();
    await assert.rejects(p.call('alive'), /disposed/);
    assert.equal(p.workers, 0);
  });

  it('vm.volumes is a plain object of its methods', () => {
    const volumes = vm.volumes;
    assert.ok('list' in volumes && typeof volumes.list === 'function');
    assert.equal((volumes as unknown as Record<string, unknown>).lsit, undefined);
    assert.deepEqual(Object.keys(volumes).sort(), ['delete', 'export', 'files', 'history', 'import', 'list', 'read', 'restore', 'write']);
  });
});
