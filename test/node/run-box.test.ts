// Warm runs through the shared block (RunState in contract/link.ts): after a worker's first run,
// its requests and results are packed into the link's box and no run message is posted. What
// cannot go that way (a request too big for the box, a result too big) still runs, as a message,
// and so does a run that comes after the worker stopped holding for one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nodePlatform } from '../../src/cli/node-host.js';
import { isRunMessage, isRunReply } from '../../src/contract/protocol.js';
import { VmHost } from '../../src/host/vm-host.js';
import { againRuns, idle } from '../again/cases.js';

const path = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const HELLO = path('../../public/programs/hello.wasm');
const CAT = path('../../public/programs/cat.wasm');

/** A host whose pool's workers are counted: every run message posted to them, and every run reply they post. */
function countedHost(): { vm: VmHost; messages: () => number; replies: () => number } {
  let messages = 0;
  let replies = 0;
  const vm = new VmHost({ pool: 1 }, {
    ...nodePlatform,
    spawn(url) {
      const worker = nodePlatform.spawn(url);
      const post = worker.endpoint.postMessage.bind(worker.endpoint);
      worker.endpoint.postMessage = (message: unknown, transfer?: Transferable[]) => {
        if (isRunMessage(message)) messages++;
        post(message, transfer);
      };
      worker.endpoint.addEventListener('message', (event) => {
        if (isRunReply((event as MessageEvent).data)) replies++;
      });
      return worker;
    },
  });
  return { vm, messages: () => messages, replies: () => replies };
}

describe('warm runs through the shared block', { timeout: 60_000 }, () => {
  it('posts one run message (the first, with the module); the runs after it go through the box', async () => {
    const { vm, messages, replies } = countedHost();
    try {
      for (let i = 0; i < 20; i++) {
        const report = await vm.run({ program: HELLO, args: ['hello'] });
        assert.equal(report.status, 'ok', report.message);
        assert.equal(report.stdout, 'Hello, world!\n');
      }
      assert.equal(messages(), 1);
      assert.equal(replies(), 0); // every result came through the box, the first one's too
      // A Node Buffer (whose toJSON would spell it as an object) comes through as bytes.
      const buffered = await vm.run({ program: CAT, stdin: Buffer.from('from a Buffer\n') });
      assert.equal(buffered.stdout, 'from a Buffer\n');
      assert.equal(messages(), 2); // cat's module is new to the worker
      assert.equal((await vm.run({ program: CAT, stdin: Buffer.from('again\n') })).stdout, 'again\n');
      assert.equal(messages(), 2);
      // Bytes, and a limit of Infinity (output passed through), come through whole.
      const stdin = 'héllo ✓\n'.repeat(100);
      const report = await vm.run({ program: CAT, stdin }, { passthrough: true });
      assert.equal(report.stdout, stdin);
      assert.equal(messages(), 2);
      const again = await vm.run({ program: CAT, stdin, files: { '/data/x.txt': new Uint8Array([1, 2, 3]) } }, { passthrough: true });
      assert.equal(again.stdout, stdin);
      assert.equal(messages(), 2);
    } finally {
      vm.dispose();
    }
  });

  it('runs a request like the last one again, each run as its manifest says (test/again/cases.ts)', async () => {
    const { vm, messages } = countedHost();
    try {
      const runs = againRuns((name) => path(`../../public/programs/${name}.wasm`));
      for (const { manifest, ends } of runs) {
        const report = await vm.run(manifest);
        assert.equal(report.status, 'ok', report.message);
        assert.ok(report.stdout.endsWith(ends), `${JSON.stringify(manifest)}: ${report.stdout}`);
        await idle();
      }
      assert.equal(messages(), 2, 'the runs after the first of each module went through the box');
    } finally {
      vm.dispose();
    }
  });

  it('sends a request too big for the box as a message, to a worker waiting on the box', async () => {
    const { vm, messages } = countedHost();
    try {
      await vm.run({ program: CAT, stdin: 'warm\n' });
      const big = 'z'.repeat(200_000);
      const report = await vm.run({ program: CAT, stdin: big });
      assert.equal(report.status, 'ok', report.message);
      assert.equal(report.stdout.length, big.length);
      assert.equal(messages(), 2);
      // And the worker listens on the box again after it.
      assert.equal((await vm.run({ program: CAT, stdin: 'small\n' })).stdout, 'small\n');
      assert.equal(messages(), 2);
    } finally {
      vm.dispose();
    }
  });

  it("sends a result too big for the box as a message (a live run's record of 200 KB of input)", async () => {
    const { vm, messages, replies } = countedHost();
    try {
      await vm.run({ program: CAT, stdin: 'warm\n' });
      const big = 'y'.repeat(200_000);
      const stdin = (async function* () {
        yield big;
      })();
      const report = await vm.run({ program: CAT, channels: [{ path: '/dev/stdin', source: 'live' }] }, { stdin });
      assert.equal(report.status, 'ok', report.message);
      assert.equal(report.stdout.length, big.length);
      assert.equal(report.inputs?.complete, true);
      const read = report.inputs?.events.reduce((n, e) => n + ('data' in e ? Buffer.from(e.data, 'base64').length : 0), 0);
      assert.equal(read, big.length);
      assert.equal(messages(), 1); // the request went through the box...
      assert.equal(replies(), 1); // ...and its reply, too big for it, came as a message
      assert.equal((await vm.run({ program: CAT, stdin: 'small\n' })).stdout, 'small\n');
    } finally {
      vm.dispose();
    }
  });

  it('takes a run that comes after it stopped holding for one (waiting from its event loop)', async () => {
    const { vm, messages } = countedHost();
    try {
      await vm.run({ program: HELLO, args: ['hello'] });
      for (const pause of [50, 120]) {
        await new Promise((resolve) => setTimeout(resolve, pause));
        const report = await vm.run({ program: HELLO, args: ['hello'] });
        assert.equal(report.stdout, 'Hello, world!\n');
      }
      assert.equal(messages(), 1);
    } finally {
      vm.dispose();
    }
  });
});
