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

const path = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const HELLO = path('../../public/programs/hello.wasm');
const CAT = path('../../public/programs/cat.wasm');
const NOTES = path('../../public/programs/notes.wasm');

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

  it('runs a request like the last one again from its manifest: what a run changed of its files is not in the next', async () => {
    // The worker takes the same bytes in the box as the request it read last, and loads the next
    // VM's kernel for it while idle (worker/last-request.ts, spare.ts): nothing a run did may reach it.
    const { vm, messages } = countedHost();
    const notes = (stdin: string) => ({ program: NOTES, args: ['notes', '/data/notes.txt'], files: { '/data/notes.txt': '[ ] one\n' }, stdin });
    const listed = (...items: string[]) => `${items.map((t, i) => `${i + 1}. [ ] ${t}\n`).join('')}notes> \nbye\n`;
    try {
      for (const [stdin, list] of [
        ['add two\nlist\n', listed('one', 'two')],
        ['add two\nlist\n', listed('one', 'two')],
        ['add two\nlist\n', listed('one', 'two')],
        ['add three\nlist\n', listed('one', 'three')],
        ['add two\nlist\n', listed('one', 'two')],
        ['add two\nlist\n', listed('one', 'two')],
      ]) {
        const report = await vm.run(notes(stdin));
        assert.equal(report.status, 'ok', report.message);
        assert.ok(report.stdout.endsWith(list), `${JSON.stringify(stdin)}: ${report.stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 10)); // the worker makes (and loads) its spare
      }
      assert.equal(messages(), 1, 'the runs after the first went through the box');
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
