// The host sends a worker's attach and its first run without waiting for either (the attach itself
// waits for the etag module's compile on a page's first worker), so a run may reach the worker
// first: it waits for the attach. An attach that fails fails such a run too, saying why, rather
// than leaving it waiting. The worker here is the real service in this thread, behind an endpoint
// that holds the attach back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as Comlink from 'comlink';
import { nodePlatform } from '../../src/cli/node-host.js';
import { isRunMessage, type RunMessage, type RunReply } from '../../src/contract/protocol.js';
import type { SpawnedWorker } from '../../src/host/pool.js';
import { VmHost } from '../../src/host/vm-host.js';
import { createVmWorker } from '../../src/worker/service.js';

const hello = new URL('../../public/programs/hello.wasm', import.meta.url);

interface Held {
  /** What the host's end posted, in the order it reached the worker. */
  order: string[];
  /** The first run request that passed. */
  run?: RunMessage;
}

/** A worker in this thread whose attach reaches it `delayMs` after the host sent it. */
function heldAttach(held: Held, delayMs: number): SpawnedWorker {
  const { port1, port2 } = new MessageChannel();
  const vm = createVmWorker((message, transfer) => port2.postMessage(message, transfer));
  port2.addEventListener('message', (event) => vm.receive((event as MessageEvent).data));
  Comlink.expose(vm.service, port2);
  port1.start();
  const endpoint: Comlink.Endpoint = {
    postMessage(message: { type?: string; path?: string[] }, transfer: Transferable[] = []) {
      const send = (what: string) => {
        held.order.push(what);
        port1.postMessage(message, transfer as never);
      };
      if (isRunMessage(message)) {
        held.run ??= message;
        send('run');
      } else if (message.type === 'APPLY' && message.path?.[0] === 'attach') setTimeout(() => send('attach'), delayMs);
      else send(message.type ?? 'other');
    },
    addEventListener: port1.addEventListener.bind(port1) as Comlink.Endpoint['addEventListener'],
    removeEventListener: port1.removeEventListener.bind(port1) as Comlink.Endpoint['removeEventListener'],
  };
  return { endpoint, terminate: () => (port1.close(), port2.close()), failed: new Promise<Error>(() => undefined) };
}

describe('a run that reaches its worker before the attach', () => {
  const held: Held = { order: [] };

  it('waits for the attach, then runs', async () => {
    const host = new VmHost({ pool: 1 }, { ...nodePlatform, spawn: () => heldAttach(held, 100) });
    try {
      const report = await host.run({ program: readFileSync(hello) });
      assert.equal(report.status, 'ok', report.message);
      assert.equal(report.stdout, 'Hello, world!\n');
      assert.deepEqual(held.order.slice(0, 2), ['run', 'attach'], 'the run went first');
    } finally {
      host.dispose();
    }
  });

  it('fails, saying why, when the attach fails', async () => {
    assert.ok(held.run, 'a request from the run before');
    const replies: RunReply[] = [];
    const vm = createVmWorker((message) => replies.push(message as RunReply));
    vm.receive(held.run);
    // Not the etag module: its instance needs imports.
    const wrong = new WebAssembly.Module(readFileSync(hello));
    await assert.rejects(vm.service.attach(new SharedArrayBuffer(1 << 20), { etag: wrong }));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(replies.length, 1, 'one reply');
    assert.equal(replies[0].zerovm, 'failed');
    assert.match((replies[0] as { message: string }).message, /Import/i);
    // And a host that gives no etag module is told so.
    const old = createVmWorker(() => undefined);
    await assert.rejects(old.service.attach(new SharedArrayBuffer(1 << 20), {} as never), { message: /no etag module/ });
  });
});
