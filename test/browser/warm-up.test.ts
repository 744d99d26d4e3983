// The warm-up in a browser (test/node/warm-up.test.ts has the rest): a real VM worker, attached as
// a pool attaches one here — by the shared block on an isolated page, by a port on a page that is
// not — runs the warm-up guest; and the worker service in this page's thread shows that nothing
// of it reaches the host.
import * as Comlink from 'comlink';
import { canShareMemory, LINK_BYTES } from '../../src/contract/link.js';
import type { VmService } from '../../src/contract/protocol.js';
import { browserPlatform } from '../../src/host/browser.js';
import { etagModule } from '../../src/host/etag-module.js';
import { warmUpGuest } from '../../src/host/warm-up.js';
import { createVmWorker } from '../../src/worker/service.js';
import { assert, assertEqual } from './assert.js';

describe('the warm-up', () => {
  it('runs in a VM worker that has had no run', async () => {
    const worker = browserPlatform.spawn();
    const service = Comlink.wrap<VmService>(worker.endpoint);
    const channel = new MessageChannel();
    try {
      const link = canShareMemory() ? new SharedArrayBuffer(LINK_BYTES) : Comlink.transfer(channel.port1, [channel.port1]);
      await service.attach(link, { etag: await etagModule(), warmUp: await warmUpGuest() });
      assertEqual(await service.warmUpStatus(), 'ok', 'how the warm-up ended');
    } finally {
      service[Comlink.releaseProxy]();
      worker.terminate();
      channel.port2.close();
    }
  });

  it('runs on a link of the kind this page gives its workers, and nothing of it reaches the host', async () => {
    const posted: unknown[] = [];
    const vm = createVmWorker((message) => posted.push(message));
    const shared = canShareMemory() ? new SharedArrayBuffer(LINK_BYTES) : null;
    const channel = new MessageChannel();
    try {
      await vm.service.attach(shared ?? channel.port1, { etag: await etagModule(), warmUp: await warmUpGuest() });
      const result = await vm.warmedUp;
      assert(result, 'a warm-up ran');
      assertEqual([result.status, result.exitCode, result.message], ['ok', 0, ''], 'how it ended');
      assertEqual(result.channels.find((c) => c.path === '/dev/stdout')?.writeBytes, 5, 'its stdout bytes');
      await new Promise((r) => setTimeout(r, 20));
      assertEqual(posted.length, 0, 'messages posted on the worker\'s port');
      if (shared) assert(new Uint8Array(shared).every((b) => b === 0), 'nothing written in the shared block');
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });
});
