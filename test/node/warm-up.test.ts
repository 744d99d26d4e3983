// A worker given the warm-up guest as it attaches runs it once while it waits for its first run
// (worker/warm-up.ts), so that run finds the kernel's code compiled. The warm-up must be invisible:
// nothing of it on the worker's link or port, nothing of it in the run after it, no warm-up at all
// when a run is already waiting, and a worker that serves on if it fails. The workers here are the
// real service in this thread.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import * as Comlink from 'comlink';
import xxhash from 'xxhash-wasm';
import { nodePlatform } from '../../src/cli/node-host.js';
import { LINK_BYTES } from '../../src/contract/link.js';
import { isRunMessage, type RunMessage, type RunReply } from '../../src/contract/protocol.js';
import { etagModule } from '../../src/host/etag-module.js';
import type { SpawnedWorker } from '../../src/host/pool.js';
import { VmHost } from '../../src/host/vm-host.js';
import { warmUpGuest } from '../../src/host/warm-up.js';
import { createVmWorker, type VmWorker } from '../../src/worker/service.js';

const hello = readFileSync(new URL('../../public/programs/hello.wasm', import.meta.url));

/** A worker in this thread, as the pool spawns one; `seen` gets its service and the run messages the host sent it. */
function inThread(seen: { vm?: VmWorker; runs: RunMessage[] }): SpawnedWorker {
  const { port1, port2 } = new MessageChannel();
  const vm = createVmWorker((message, transfer) => port2.postMessage(message, transfer));
  seen.vm = vm;
  port2.addEventListener('message', (event) => {
    const data = (event as MessageEvent).data;
    if (isRunMessage(data)) seen.runs.push(data);
    vm.receive(data);
  });
  Comlink.expose(vm.service, port2);
  port1.start();
  return { endpoint: port1 as unknown as Comlink.Endpoint, terminate: () => (port1.close(), port2.close()), failed: new Promise<Error>(() => undefined) };
}

/** The first run result among `posted`, once it is there (a run's reply comes a few tasks after its message). */
async function resultIn(posted: unknown[]): Promise<Extract<RunReply, { zerovm: 'result' }>> {
  for (;;) {
    const reply = posted.find((m) => (m as RunReply).zerovm === 'result');
    if (reply) return reply as Extract<RunReply, { zerovm: 'result' }>;
    const failed = posted.find((m) => (m as RunReply).zerovm === 'failed');
    if (failed) throw new Error(`the run failed: ${JSON.stringify(failed)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A worker of our own, attached to `link` with the host's etag module and warm-up; what it posts is kept. */
async function attached(link: SharedArrayBuffer | MessagePort, warm = warmUpGuest()) {
  const posted: unknown[] = [];
  const vm = createVmWorker((message) => posted.push(message));
  await vm.service.attach(link, { etag: await etagModule(), warmUp: await warm });
  return { vm, posted };
}

describe('the warm-up', { timeout: 30_000 }, () => {
  /** The ports the tests' message links are made of: closed after each test, or the process stays up. */
  const ports: MessagePort[] = [];
  afterEach(() => {
    for (const port of ports.splice(0)) port.close();
  });

  it('runs the warm-up guest while the worker waits, and nothing of it reaches the host', async () => {
    const link = new SharedArrayBuffer(LINK_BYTES);
    const { vm, posted } = await attached(link);
    const result = await vm.warmedUp;
    assert.ok(result, 'a warm-up ran');
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.exitCode, 0);
    const stdout = result.channels.find((c) => c.path === '/dev/stdout');
    assert.equal(stdout?.writeBytes, 5, 'its write to stdout was counted');
    const { h64Raw } = await xxhash();
    assert.equal(stdout?.etag, h64Raw(new TextEncoder().encode('warm\n')).toString(16).padStart(16, '0'), 'and hashed: it wrote "warm\\n"');
    assert.deepEqual(posted, [], 'nothing posted on the worker\'s port');
    assert.ok(new Uint8Array(link).every((b) => b === 0), 'nothing written in the worker\'s shared block');
  });

  it('is given by the host to its workers; a run after it reports as a run on a worker that had none', async () => {
    const seen: { vm?: VmWorker; runs: RunMessage[] } = { runs: [] };
    const host = new VmHost({ pool: 1 }, { ...nodePlatform, spawn: () => inThread(seen) });
    try {
      const warmed = await seen.vm!.warmedUp;
      assert.equal(warmed?.status, 'ok', 'the pool\'s worker warmed up');
      const report = await host.run({ program: hello });
      assert.equal(report.status, 'ok', report.message);
      assert.equal(report.stdout, 'Hello, world!\n');

      // The same run on a worker given it before the warm-up's turn: no warm-up, the same run.
      const [run] = seen.runs;
      const replies: RunReply[] = [];
      const fresh = createVmWorker((message) => replies.push(message as RunReply));
      // A message link: its reply is posted (a shared link's goes in the block's box).
      const { port1, port2 } = new MessageChannel();
      ports.push(port1, port2);
      const attaching = fresh.service.attach(port1, { etag: await etagModule(), warmUp: await warmUpGuest() });
      fresh.receive(run);
      await attaching;
      assert.equal(await fresh.warmedUp, null, 'no warm-up when a run came first');
      const reply = await resultIn(replies);
      assert.equal(reply.result.etag, report.etag, 'the same run etag');
      assert.deepEqual(reply.result.channels.map((c) => [c.path, c.writeBytes, c.etag]), report.channels.map((c) => [c.path, c.writeBytes, c.etag]));
    } finally {
      host.dispose();
    }
  });

  it('that fails leaves the worker serving', async () => {
    const { request, module } = await warmUpGuest();
    const broken = Promise.resolve({ module, request: { ...request, fs: undefined as never } });
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const { vm, posted } = await attached(port1, broken);
    await assert.rejects(vm.warmedUp, TypeError);
    // A real run now: the hello request the host makes, as a message with its module.
    const seen: { vm?: VmWorker; runs: RunMessage[] } = { runs: [] };
    const host = new VmHost({ pool: 1 }, { ...nodePlatform, spawn: () => inThread(seen) });
    try {
      await host.run({ program: hello });
    } finally {
      host.dispose();
    }
    vm.receive(seen.runs[0]);
    assert.equal((await resultIn(posted)).result.status, 'ok');
  });
});
